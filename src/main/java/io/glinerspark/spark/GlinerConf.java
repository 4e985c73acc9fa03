package io.glinerspark.spark;

import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;

import java.util.List;
import java.util.Map;

/**
 * The registry's settings as {@code spark.gliner.<name>} keys of a Spark configuration: which keys a session may
 * change (the decoding settings) and which only the application's configuration sets (the model and its
 * placement). The settings themselves, their defaults and parsing are {@link Settings}'.
 */
public final class GlinerConf {

    private static final List<String> MODEL_SETTINGS = Settings.inGroup(Group.MODEL).stream().map(Setting::name)
            .toList();

    private GlinerConf() {
    }

    /** The {@code spark.gliner.*} entries of a configuration, read through the registry. */
    public static SettingValues settings(Map<String, String> conf) {
        return SettingValues.of(SettingValues.stripPrefix(conf), Spelling.CONF_KEY);
    }

    /**
     * Refuses session values of the model settings that differ from the application's: those settings are read from
     * the static configuration only, and a session that set one must not believe it took effect.
     *
     * @param application the application's settings (from its {@code SparkConf})
     * @param session     the session's settings
     * @throws IllegalArgumentException naming the first setting whose session value differs
     */
    public static void checkModelSettingsUnchanged(SettingValues application, SettingValues session) {
        for (Setting<?> setting : Settings.inGroup(Group.MODEL)) {
            String sessionValue = session.text(setting);
            String applicationValue = application.text(setting);
            if (sessionValue != null && !sessionValue.equals(applicationValue)) {
                String key = Spelling.CONF_KEY.of(setting.name());
                throw new IllegalArgumentException(key + " is set to '" + sessionValue + "' in this session, but the "
                        + "model and its placement (" + String.join(", ", MODEL_SETTINGS) + ") are read only from the "
                        + "application's configuration when it starts ("
                        + (applicationValue != null ? "there: '" + applicationValue + "'" : "not set there")
                        + "); RESET " + key + " in the session, or start the application with --conf " + key + "=...");
            }
        }
    }
}
