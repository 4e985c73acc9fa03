package io.glinerspark.spark;

import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import org.apache.spark.SparkContext;
import scala.Tuple2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's settings as {@code spark.gliner.<name>} keys of a Spark configuration: which keys a session may
 * change (the decoding settings) and which only the application's configuration sets (the model and its
 * placement, and the application's limits). The settings themselves, their defaults and parsing are
 * {@link Settings}'.
 */
public final class GlinerConf {

    /** The groups whose settings only the application's configuration sets. */
    private static final List<Group> STATIC_GROUPS = List.of(Group.MODEL, Group.LIMITS);

    private GlinerConf() {
    }

    /** The {@code spark.gliner.*} entries of a configuration, read through the registry. */
    public static SettingValues settings(Map<String, String> conf) {
        return SettingValues.of(SettingValues.stripPrefix(conf), Spelling.CONF_KEY);
    }

    /** The {@code spark.gliner.*} entries of the application's configuration (its {@code SparkConf}). */
    public static SettingValues application(SparkContext context) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (Tuple2<String, String> entry : context.getConf().getAll()) {
            conf.put(entry._1(), entry._2());
        }
        return settings(conf);
    }

    /**
     * Refuses session values of the model settings and the application's limits that differ from the application's:
     * those settings are read from the static configuration only, and a session that set one must not believe it
     * took effect.
     *
     * @param application the application's settings (from its {@code SparkConf})
     * @param session     the session's settings
     * @throws IllegalArgumentException naming the first setting whose session value differs
     */
    public static void checkModelSettingsUnchanged(SettingValues application, SettingValues session) {
        for (Group group : STATIC_GROUPS) {
            for (Setting<?> setting : Settings.inGroup(group)) {
                checkUnchanged(setting, application, session);
            }
        }
    }

    private static void checkUnchanged(Setting<?> setting, SettingValues application, SettingValues session) {
        String sessionValue = session.text(setting);
        String applicationValue = application.text(setting);
        if (sessionValue != null && !sessionValue.equals(applicationValue)) {
            String key = Spelling.CONF_KEY.of(setting.name());
            String what = setting.group() == Group.MODEL ? "model and its placement" : "application's limits";
            List<String> names = Settings.inGroup(setting.group()).stream().map(Setting::name).toList();
            throw new IllegalArgumentException(key + " is set to '" + sessionValue + "' in this session, but the "
                    + what + " (" + String.join(", ", names) + ") are read only from the "
                    + "application's configuration when it starts ("
                    + (applicationValue != null ? "there: '" + applicationValue + "'" : "not set there")
                    + "); RESET " + key + " in the session, or start the application with --conf " + key + "=...");
        }
    }
}
