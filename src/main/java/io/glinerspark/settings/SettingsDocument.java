package io.glinerspark.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The registry as documents: JSON (name, group, kind, default, bounds, choices, doc, front ends of each setting)
 * for front ends outside the JVM, whose Python wrapper ships it and takes its parameter defaults and docs from it;
 * and Markdown, the settings page of the documentation ({@code docs/settings.md}), so that the page cannot drift
 * from what the code reads.
 */
public final class SettingsDocument {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final String MARKDOWN_INTRO = """
            # Settings

            <!-- Generated from io.glinerspark.settings.Settings by `jobs/gliner.sh settings-doc > docs/settings.md`; \
            do not edit by hand. -->

            Every setting is defined once (`io.glinerspark.settings.Settings`) and read under the same name and default \
            by each front end that takes it: `conf` is a `spark.gliner.<name>` key of the Spark configuration (also the \
            job's options file), `SQL` a key of a `gliner_extract` call's options map, `job` an option of the \
            extraction job, `Transformer` a parameter of `GlinerTransformer` and of its Python wrapper, `CLI` and \
            `bench` options of `jobs/gliner.sh extract` and `bench`, `Spark bench` of `jobs/bench-spark.sh` and \
            `eval` of `jobs/evaluate.sh`. The model and placement settings and the application limits come only \
            from an application's configuration as it started (a `gliner_extract` query of a session that `SET` one \
            of them to another value is refused); a SQL call may override the decoding settings (the threshold as its third \
            argument, the others in its options map). A bad value is refused with a message naming the setting (as \
            the front end spells it: `spark.gliner.threshold`, `--threshold`, `threshold`) and the value. \
            `jobs/gliner.sh settings` prints the same registry as JSON.

            """;

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

    /**
     * The settings page: how front ends read the settings, then one table row per setting (name, group, default,
     * the front ends that read it, meaning). Ends with a newline.
     */
    public static String markdown() {
        StringBuilder page = new StringBuilder(MARKDOWN_INTRO)
                .append("| setting | group | default | read by | meaning |\n|---|---|---|---|---|\n");
        for (Setting<?> setting : Settings.all()) {
            String readers = setting.frontEnds().stream().sorted().map(SettingsDocument::shortName)
                    .collect(Collectors.joining(", "));
            page.append("| `").append(setting.name()).append("` | ").append(setting.group().title()).append(" | ")
                    .append(setting.defaultText() == null ? "" : "`" + setting.defaultText() + "`").append(" | ")
                    .append(readers).append(" | ").append(escape(setting.doc())).append(" |\n");
        }
        return page.toString();
    }

    /** The front end's name in the table's "read by" column. */
    static String shortName(FrontEnd frontEnd) {
        return switch (frontEnd) {
            case SPARK_CONF -> "conf";
            case SQL_OPTIONS -> "SQL";
            case EXTRACT_JOB -> "job";
            case TRANSFORMER -> "Transformer";
            case CLI_EXTRACT -> "CLI";
            case CLI_BENCH -> "bench";
            case SPARK_BENCHMARK -> "Spark bench";
            case EVALUATION -> "eval";
        };
    }

    /** Table cells end at a bar, and Markdown renderers take a less-than sign for the start of an HTML tag. */
    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "\\<");
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
