package io.glinerspark.settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings given as text ({@code name -> value}), read through the registry: a setting that was not given has its
 * default. Values are parsed when read; a bad one fails with the setting's name, spelled as its front end writes
 * it, and the value. Entries that are not settings are kept but never read.
 */
public final class SettingValues {

    private final Map<String, String> given;
    private final Spelling spelling;

    private SettingValues(Map<String, String> given, Spelling spelling) {
        this.given = given;
        this.spelling = spelling;
    }

    /** Settings keyed by name (no prefix); errors spell names as {@code spelling} does. */
    public static SettingValues of(Map<String, String> given, Spelling spelling) {
        return new SettingValues(Map.copyOf(given), spelling);
    }

    /** The {@code spark.gliner.*} entries of {@code conf}, keyed without the prefix. */
    public static Map<String, String> stripPrefix(Map<String, String> conf) {
        Map<String, String> settings = new LinkedHashMap<>();
        conf.forEach((key, value) -> {
            if (key.startsWith(Settings.PREFIX)) {
                settings.put(key.substring(Settings.PREFIX.length()), value);
            }
        });
        return settings;
    }

    /** The value of {@code setting}: as given, else its default (null when it has none). */
    public <T> T get(Setting<T> setting) {
        String text = given.get(setting.name());
        return text == null ? setting.defaultValue() : setting.parse(text, spelling);
    }

    /** Whether {@code setting} was given. */
    public boolean isGiven(Setting<?> setting) {
        return given.containsKey(setting.name());
    }

    /** The given text of {@code setting}, or null. */
    public String text(Setting<?> setting) {
        return given.get(setting.name());
    }

    /** Every given entry, keyed by name. */
    public Map<String, String> given() {
        return given;
    }
}
