package io.glinerspark.spark;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.ModelOptions;
import io.glinerspark.spark.task.TaskDevice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code spark.gliner.*} settings shared by the SQL function, the extraction job and the benchmark: their names,
 * and how a map of them becomes {@link ModelOptions} and {@link ExtractionOptions}. Names are given without the
 * {@code spark.gliner.} prefix; every parse error names the setting and the bad value.
 */
public final class GlinerConf {

    /** Prefix of every setting in a Spark configuration. */
    public static final String PREFIX = "spark.gliner.";

    /** Model source: local folder, Hadoop URI, {@code hf://owner/name[@revision]} or {@code default}. */
    public static final String MODEL = "model";
    /** ONNX file inside the bundle. */
    public static final String ONNX_FILE = "onnxFile";
    /** {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}; see {@link TaskDevice}. */
    public static final String DEVICE = "device";
    /** Fail instead of falling back to CPU when the device cannot be used. */
    public static final String REQUIRE_DEVICE = "requireDevice";
    /** ONNX Runtime intra-op threads per session (0 = runtime default). */
    public static final String INTRA_OP_THREADS = "intraOpThreads";
    /** Batch budget: padded words x max width per model call. */
    public static final String BATCH_WORDS = "batchWords";
    /** Batch budget: padded sub-tokens per model call. */
    public static final String BATCH_TOKENS = "batchTokens";
    /** Rows a task reads before it extracts and emits them (bounds task memory). */
    public static final String ROWS_PER_BLOCK = "rowsPerBlock";

    /** Global probability threshold. */
    public static final String THRESHOLD = "threshold";
    /** Per-label thresholds, {@code label=value,label=value}. */
    public static final String LABEL_THRESHOLDS = "labelThresholds";
    /** true: non-overlapping entities; false: nested entities allowed. */
    public static final String FLAT_NER = "flatNer";
    /** Whether one span may carry several labels. */
    public static final String MULTI_LABEL = "multiLabel";
    /** Score formula of token-level models: {@code min} or {@code mean}. */
    public static final String TOKEN_SCORE = "tokenScore";
    /** Texts longer than the model window: {@code chunk}, {@code truncate} or {@code fail}. */
    public static final String LONG_TEXT = "longText";
    /** Words shared by neighbouring windows of a chunked text. */
    public static final String WINDOW_OVERLAP = "windowOverlap";

    /** Settings that choose or place the model; a SQL call may not override them. */
    public static final List<String> MODEL_SETTINGS =
            List.of(MODEL, ONNX_FILE, DEVICE, REQUIRE_DEVICE, INTRA_OP_THREADS, BATCH_WORDS, BATCH_TOKENS, ROWS_PER_BLOCK);
    /** Settings that change how spans are decoded; a SQL call may override them in its options map. */
    public static final List<String> DECODING_SETTINGS =
            List.of(THRESHOLD, LABEL_THRESHOLDS, FLAT_NER, MULTI_LABEL, TOKEN_SCORE, LONG_TEXT, WINDOW_OVERLAP);

    /** Default of {@link #ROWS_PER_BLOCK}. */
    public static final int DEFAULT_ROWS_PER_BLOCK = 512;
    /** Default of {@link #DEVICE}: the task's GPU when Spark assigned one, else CPU. */
    public static final String DEFAULT_DEVICE = TaskDevice.AUTO;

    private GlinerConf() {
    }

    /** The {@code spark.gliner.*} entries of {@code conf}, keyed without the prefix. */
    public static Map<String, String> stripPrefix(Map<String, String> conf) {
        Map<String, String> settings = new LinkedHashMap<>();
        conf.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                settings.put(key.substring(PREFIX.length()), value);
            }
        });
        return settings;
    }

    /** Upper bound of {@link #BATCH_WORDS}: larger batches only cost memory, they do not run faster. */
    public static final int MAX_BATCH_WORDS = 1 << 22;
    /** Upper bound of {@link #BATCH_TOKENS}. */
    public static final int MAX_BATCH_TOKENS = 1 << 20;
    /** Upper bound of {@link #ROWS_PER_BLOCK}: a task holds a whole block of rows in memory. */
    public static final int MAX_ROWS_PER_BLOCK = 1 << 16;
    /** Upper bound of {@link #INTRA_OP_THREADS}. */
    public static final int MAX_INTRA_OP_THREADS = 256;

    /**
     * Refuses session values of the model settings that differ from the application's: those settings are read from
     * the static configuration only, and a session that set one must not believe it took effect.
     *
     * @param staticSettings  the application's settings (from its {@code SparkConf}), without prefix
     * @param sessionSettings the session's settings, without prefix
     * @throws IllegalArgumentException naming the first setting whose session value differs
     */
    public static void checkModelSettingsUnchanged(Map<String, String> staticSettings, Map<String, String> sessionSettings) {
        for (String key : MODEL_SETTINGS) {
            String session = sessionSettings.get(key);
            if (session != null && !session.equals(staticSettings.get(key))) {
                throw new IllegalArgumentException(PREFIX + key + " is set to '" + session + "' in this session, but the "
                        + "model and its placement (" + String.join(", ", MODEL_SETTINGS) + ") are read only from the "
                        + "application's configuration when it starts ("
                        + (staticSettings.containsKey(key) ? "there: '" + staticSettings.get(key) + "'" : "not set there")
                        + "); RESET " + PREFIX + key + " in the session, or start the application with --conf "
                        + PREFIX + key + "=...");
            }
        }
    }

    /** Model options from settings; absent settings keep {@link ModelOptions#defaults()}. */
    public static ModelOptions modelOptions(Map<String, String> settings) {
        ModelOptions defaults = ModelOptions.defaults();
        return new ModelOptions(
                settings.getOrDefault(MODEL, defaults.source()).trim(),
                settings.getOrDefault(ONNX_FILE, defaults.onnxFile()).trim(),
                TaskDevice.validate(settings.getOrDefault(DEVICE, DEFAULT_DEVICE)),
                bool(settings, REQUIRE_DEVICE, defaults.requireDevice()),
                atMost(INTRA_OP_THREADS, positiveOrZero(settings, INTRA_OP_THREADS, defaults.intraOpThreads()),
                        MAX_INTRA_OP_THREADS),
                defaults.interOpThreads(),
                defaults.optimization(),
                atMost(BATCH_WORDS, positiveOrZero(settings, BATCH_WORDS, defaults.batchWords()), MAX_BATCH_WORDS),
                atMost(BATCH_TOKENS, positiveOrZero(settings, BATCH_TOKENS, defaults.batchTokens()), MAX_BATCH_TOKENS));
    }

    /** Decoding options from settings on top of {@code base}. */
    public static ExtractionOptions extractionOptions(Map<String, String> settings, ExtractionOptions base) {
        ExtractionOptions options = base;
        if (settings.containsKey(THRESHOLD)) {
            float threshold = floatValue(settings, THRESHOLD);
            ExtractionOptions current = options;
            options = checked(THRESHOLD, settings, () -> current.withThreshold(threshold));
        }
        if (settings.containsKey(LABEL_THRESHOLDS)) {
            Map<String, Float> perLabel = labelThresholds(settings.get(LABEL_THRESHOLDS));
            ExtractionOptions current = options;
            options = checked(LABEL_THRESHOLDS, settings, () -> current.withLabelThresholds(perLabel));
        }
        return options.withFlatNer(bool(settings, FLAT_NER, options.flatNer()))
                .withMultiLabel(bool(settings, MULTI_LABEL, options.multiLabel()))
                .withTokenScore(enumValue(settings, TOKEN_SCORE, ExtractionOptions.TokenScore.class, options.tokenScore()))
                .withLongText(enumValue(settings, LONG_TEXT, ExtractionOptions.LongTextPolicy.class, options.longText()))
                .withWindowOverlap(positiveOrZero(settings, WINDOW_OVERLAP, options.windowOverlap()));
    }

    /** Runs a validation of the core options, naming the setting when it fails. */
    private static ExtractionOptions checked(String key, Map<String, String> settings,
                                             java.util.function.Supplier<ExtractionOptions> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + key + ": " + e.getMessage() + " (value '" + settings.get(key) + "')", e);
        }
    }

    /** Rows per block from settings. */
    public static int rowsPerBlock(Map<String, String> settings) {
        return atMost(ROWS_PER_BLOCK, positive(settings, ROWS_PER_BLOCK, DEFAULT_ROWS_PER_BLOCK), MAX_ROWS_PER_BLOCK);
    }

    private static int atMost(String key, int value, int bound) {
        if (value > bound) {
            throw new IllegalArgumentException(PREFIX + key + ": " + value + " is above the upper bound " + bound);
        }
        return value;
    }

    /** Parses {@code label=value,label=value}; labels are trimmed, the last {@code =} separates the value. */
    public static Map<String, Float> labelThresholds(String spec) {
        Map<String, Float> thresholds = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq <= 0) {
                throw invalid(LABEL_THRESHOLDS, spec, "entries of the form label=threshold");
            }
            String label = entry.substring(0, eq).trim();
            try {
                thresholds.put(label, Float.parseFloat(entry.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw invalid(LABEL_THRESHOLDS, spec, "a number after '=' in '" + entry.trim() + "'");
            }
        }
        return thresholds;
    }

    /** Splits a comma-separated list, trimming entries and dropping empty ones. */
    public static List<String> list(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The boolean at {@code key} ({@code true} or {@code false}), or {@code fallback} when unset. */
    public static boolean bool(Map<String, String> settings, String key, boolean fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "true or false");
        };
    }

    /** The integer > 0 at {@code key}, or {@code fallback} when unset. */
    public static int positive(Map<String, String> settings, String key, int fallback) {
        int value = intValue(settings, key, fallback);
        if (value <= 0) {
            throw invalid(key, settings.get(key), "an integer > 0");
        }
        return value;
    }

    /** The integer >= 0 at {@code key}, or {@code fallback} when unset. */
    public static int positiveOrZero(Map<String, String> settings, String key, int fallback) {
        int value = intValue(settings, key, fallback);
        if (value < 0) {
            throw invalid(key, settings.get(key), "an integer >= 0");
        }
        return value;
    }

    private static int intValue(Map<String, String> settings, String key, int fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "an integer");
        }
    }

    private static float floatValue(Map<String, String> settings, String key) {
        String value = settings.get(key);
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a number");
        }
    }

    private static <E extends Enum<E>> E enumValue(Map<String, String> settings, String key, Class<E> type, E fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder names = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                names.append(names.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
            }
            throw invalid(key, value, "one of " + names);
        }
    }

    private static IllegalArgumentException invalid(String key, String value, String expected) {
        return new IllegalArgumentException(PREFIX + key + ": expected " + expected + ", got '" + value + "'");
    }
}
