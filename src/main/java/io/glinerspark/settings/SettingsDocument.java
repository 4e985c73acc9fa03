package io.glinerspark.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry as a JSON document (name, group, kind, default, bounds, choices, doc, front ends of each setting),
 * for front ends outside the JVM: the Python wrapper ships it and takes its parameter defaults and docs from it.
 */
public final class SettingsDocument {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SettingsDocument() {
    }

    /** The document, indented, ending with a newline. */
    public static String json() {
        List<Map<String, Object>> settings = Settings.all().stream().map(SettingsDocument::describe).toList();
        try {
            return JSON.writeValueAsString(Map.of("settings", settings)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the settings registry cannot be written as JSON", e);
        }
    }

    /** The default as JSON shows it: numbers, booleans, lists and maps as such, other values in their text form. */
    private static <T> Object jsonDefault(Setting<T> setting) {
        T value = setting.defaultValue();
        return value == null || setting.type().kind() != SettingType.Kind.TEXT ? value : setting.format(value);
    }

    private static Map<String, Object> describe(Setting<?> setting) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", setting.name());
        entry.put("group", setting.group().name().toLowerCase(Locale.ROOT));
        entry.put("kind", setting.type().kind().name().toLowerCase(Locale.ROOT));
        entry.put("default", jsonDefault(setting));
        entry.put("defaultText", setting.defaultText());
        entry.put("min", setting.type().min());
        entry.put("max", setting.type().max());
        entry.put("choices", setting.type().choices());
        entry.put("doc", setting.doc());
        entry.put("frontEnds", setting.frontEnds().stream().sorted().map(f -> f.name().toLowerCase(Locale.ROOT))
                .toList());
        return entry;
    }
}
