package io.glinerspark.spark.jobs;

import io.glinerspark.spark.GlinerConf;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Options of {@link ExtractJob}. Every option has a {@code spark.gliner.<name>} key and can be given, from lowest
 * to highest precedence, by its built-in default, a properties file ({@code conf/gliner-defaults.conf} when
 * present, or {@code --conf-file path}), the Spark configuration ({@code --conf spark.gliner.<name>=value} or
 * spark-defaults), and the command line ({@code --<name> value}, {@code --<name>=value} or
 * {@code spark.gliner.<name>=value}).
 */
public final class ExtractJobOptions {

    /** One option: its name (key without the prefix), default (null: none) and meaning. */
    public record Option(String name, String defaultValue, String description) {
    }

    public static final String INPUT = "input";
    public static final String INPUT_FORMAT = "inputFormat";
    public static final String ID_COLUMN = "idColumn";
    public static final String TEXT_COLUMNS = "textColumns";
    public static final String LABELS = "labels";
    public static final String OUTPUT = "output";
    public static final String OUTPUT_TABLE = "outputTable";
    public static final String MODE = "mode";
    public static final String INCREMENTAL = "incremental";
    public static final String PARTITION_BY = "partitionBy";
    public static final String PARTITIONS = "partitions";
    public static final String LIMIT = "limit";
    public static final String RUN_ID = "runId";
    public static final String STREAMING = "streaming";
    public static final String CHECKPOINT = "checkpoint";
    public static final String EXAMPLES = "examples";

    /** The sample corpus, relative to the project folder. */
    public static final String SAMPLE_INPUT = "jobs/sample/docs.jsonl";
    /** The defaults file, relative to the project folder. */
    public static final String DEFAULTS_FILE = "conf/gliner-defaults.conf";

    /** Every option, in the order {@code --help} lists them. */
    public static final List<Option> OPTIONS = List.of(
            new Option(INPUT, SAMPLE_INPUT, "input path (file or folder) or catalog table; default: the sample corpus"),
            new Option(INPUT_FORMAT, "auto", "jsonl, json, parquet, csv, text, delta, table, or auto (from the "
                    + "extension; a folder with _delta_log is delta; a name without / or : is a table)"),
            new Option(ID_COLUMN, "id", "document id column; when the input has no such column, or a row's id is "
                    + "NULL, the id is the SHA-256 of the text columns (stable across runs). Rows repeating an id with "
                    + "the same text are one document; with different texts, that document fails"),
            new Option(TEXT_COLUMNS, "text", "comma-separated text columns (text input: the column is 'value')"),
            new Option(LABELS, "person,organization,location,date,product", "comma-separated entity labels"),
            new Option(GlinerConf.THRESHOLD, "0.5", "probability threshold in [0, 1)"),
            new Option(GlinerConf.LABEL_THRESHOLDS, null, "per-label thresholds, label=value,label=value"),
            new Option(GlinerConf.FLAT_NER, "true", "true: entities never overlap; false: nested entities allowed"),
            new Option(GlinerConf.MULTI_LABEL, "false", "whether one span may carry several labels"),
            new Option(GlinerConf.LONG_TEXT, "chunk", "texts longer than the model window: chunk, truncate or fail"),
            new Option(GlinerConf.WINDOW_OVERLAP, "50", "words shared by neighbouring windows of a chunked text"),
            new Option(GlinerConf.TOKEN_SCORE, "min", "score of token-level models: min or mean"),
            new Option(GlinerConf.MODEL, "default", "model: a folder on the driver, a Hadoop URI, "
                    + "hf://owner/name[@revision], or default (the model bundled in the jar)"),
            new Option(GlinerConf.ONNX_FILE, "model.onnx", "ONNX file inside the model bundle"),
            new Option(GlinerConf.DEVICE, GlinerConf.DEFAULT_DEVICE, "auto (the task's GPU when Spark assigned one, "
                    + "else CPU), cpu, cuda or cuda:N"),
            new Option(GlinerConf.REQUIRE_DEVICE, "false", "fail instead of falling back to CPU"),
            new Option(GlinerConf.INTRA_OP_THREADS, "0", "ONNX Runtime threads per executor model (0 = runtime default)"),
            new Option(GlinerConf.BATCH_WORDS, null, "batch budget: padded words x max span width (0: sized for the device)"),
            new Option(GlinerConf.BATCH_TOKENS, null, "batch budget: padded sub-tokens (0: sized for the device)"),
            new Option(GlinerConf.ROWS_PER_BLOCK, Integer.toString(GlinerConf.DEFAULT_ROWS_PER_BLOCK),
                    "rows a task reads before extracting them (bounds task memory)"),
            new Option(OUTPUT, "gliner-output", "output folder or URI: Delta tables <output>/entities and <output>/documents"),
            new Option(OUTPUT_TABLE, null, "write catalog tables <name> (entities) and <name>_documents instead of paths"),
            new Option(MODE, "merge", "append, merge (idempotent upsert per document) or overwrite (not for streams)"),
            new Option(INCREMENTAL, "false", "process only documents whose text, model and labels are not yet in the "
                    + "documents table without error (failed documents are retried)"),
            new Option(PARTITION_BY, null, "comma-separated partition columns of the tables, e.g. label"),
            new Option(PARTITIONS, null, "repartition the input into this many partitions (default: keep)"),
            new Option(LIMIT, null, "process at most this many documents (with incremental: of those not yet done)"),
            new Option(RUN_ID, null, "id stored with every row of this run (default: a timestamp)"),
            new Option(STREAMING, "false", "read the input as a stream (Delta table or file folder) and write each "
                    + "micro-batch exactly once (merge or append) until no input is left; restarts resume from the "
                    + "checkpoint"),
            new Option(CHECKPOINT, null, "streaming checkpoint location (default <output>/_checkpoint)"),
            new Option(EXAMPLES, "5", "example entity rows printed in the summary"));

    private final Map<String, String> values;

    private ExtractJobOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Merges the sources of options.
     *
     * @param arguments   command-line arguments
     * @param sparkConf   the Spark configuration ({@code spark.gliner.*} entries are read)
     * @param projectHome folder that holds {@link #DEFAULTS_FILE} and the sample corpus
     */
    public static ExtractJobOptions parse(List<String> arguments, Map<String, String> sparkConf, Path projectHome) {
        Map<String, String> commandLine = new LinkedHashMap<>();
        Path confFile = projectHome.resolve(DEFAULTS_FILE);
        boolean confFileGiven = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            String name;
            String value;
            if (argument.startsWith(GlinerConf.PREFIX) && argument.contains("=")) {
                name = argument.substring(GlinerConf.PREFIX.length(), argument.indexOf('='));
                value = argument.substring(argument.indexOf('=') + 1);
            } else if (argument.startsWith("--")) {
                int eq = argument.indexOf('=');
                name = eq > 0 ? argument.substring(2, eq) : argument.substring(2);
                if (eq > 0) {
                    value = argument.substring(eq + 1);
                } else if (i + 1 < arguments.size()) {
                    value = arguments.get(++i);
                } else {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
            } else {
                throw new IllegalArgumentException("unexpected argument '" + argument + "': options are --<name> value, "
                        + "--<name>=value or spark.gliner.<name>=value (see --help)");
            }
            if (name.startsWith(GlinerConf.PREFIX)) {
                name = name.substring(GlinerConf.PREFIX.length());
            }
            if (name.equals("conf-file")) {
                confFile = Path.of(value);
                confFileGiven = true;
                continue;
            }
            commandLine.put(requireKnown(name, "command line"), value);
        }

        Map<String, String> merged = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            if (option.defaultValue() != null) {
                merged.put(option.name(), option.defaultValue());
            }
        }
        merged.put(INPUT, projectHome.resolve(SAMPLE_INPUT).toString());
        if (confFileGiven || Files.isRegularFile(confFile)) {
            for (Map.Entry<String, String> entry : readConfFile(confFile).entrySet()) {
                merged.put(requireKnown(entry.getKey(), confFile.toString()), entry.getValue());
            }
        }
        GlinerConf.stripPrefix(sparkConf).forEach((key, value) -> merged.put(requireKnown(key, "Spark configuration"), value));
        merged.putAll(commandLine);
        return new ExtractJobOptions(merged);
    }

    /** The value of an option, or null when it has none. */
    public String get(String name) {
        return values.get(requireKnown(name, "code"));
    }

    /** All options that have a value, keyed without the prefix. */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    public boolean flag(String name) {
        return GlinerConf.bool(values, name, false);
    }

    /** An integer option that may be 0. */
    public int nonNegativeInt(String name) {
        return GlinerConf.positiveOrZero(values, name, 0);
    }

    /** An optional positive integer option. */
    public Integer positiveInt(String name) {
        return values.containsKey(name) ? GlinerConf.positive(values, name, 1) : null;
    }

    public List<String> list(String name) {
        String value = values.get(name);
        return value == null ? List.of() : GlinerConf.list(value);
    }

    /** The {@code --help} text. */
    public static String help() {
        StringBuilder text = new StringBuilder("""
                Usage: jobs/extract.sh [--<option> value | --<option>=value | spark.gliner.<option>=value] ...
                                       [--conf-file file]

                Extracts entities with a GLiNER model into Delta tables. Options (spark.gliner.<option> in a Spark
                configuration or in conf/gliner-defaults.conf):

                """);
        for (Option option : OPTIONS) {
            text.append(String.format("  --%-17s %s%n", option.name(), option.description()));
            if (option.defaultValue() != null) {
                text.append(String.format("  %-19s default: %s%n", "", option.defaultValue()));
            }
        }
        return text.toString();
    }

    private static Map<String, String> readConfFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read options file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(properties.stringPropertyNames());
        keys.sort(null);
        for (String key : keys) {
            if (!key.startsWith(GlinerConf.PREFIX)) {
                throw new IllegalArgumentException(file + ": key '" + key + "' does not start with " + GlinerConf.PREFIX);
            }
            values.put(key.substring(GlinerConf.PREFIX.length()), properties.getProperty(key).trim());
        }
        return values;
    }

    private static String requireKnown(String name, String source) {
        for (Option option : OPTIONS) {
            if (option.name().equals(name)) {
                return name;
            }
        }
        throw new IllegalArgumentException("unknown option '" + name + "' (" + source + "); run with --help for the list");
    }
}
