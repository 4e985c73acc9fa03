package io.glinerspark.settings;

import io.glinerspark.source.ModelSources;
import io.glinerspark.types.LongTextPolicy;
import io.glinerspark.types.TokenScore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.glinerspark.settings.FrontEnd.CLI_BENCH;
import static io.glinerspark.settings.FrontEnd.CLI_EXTRACT;
import static io.glinerspark.settings.FrontEnd.EVALUATION;
import static io.glinerspark.settings.FrontEnd.EXTRACT_JOB;
import static io.glinerspark.settings.FrontEnd.SPARK_BENCHMARK;
import static io.glinerspark.settings.FrontEnd.SPARK_CONF;
import static io.glinerspark.settings.FrontEnd.SQL_OPTIONS;
import static io.glinerspark.settings.FrontEnd.TRANSFORMER;

/**
 * The registry of every setting of every front end (Spark configuration, SQL options, the extraction job, the
 * Transformer and its Python wrapper, the command line, the benchmarks, the evaluation job): each is defined here
 * once, with its name, type, bounds, default and doc, and every front end reads it under that name.
 */
public final class Settings {

    /** Prefix of a setting's key in a Spark configuration and in the job's options file. */
    public static final String PREFIX = "spark.gliner.";

    /** Upper bound of {@link #BATCH_WORDS}: larger batches only cost memory, they do not run faster. */
    public static final int MAX_BATCH_WORDS = 1 << 22;
    /** Upper bound of {@link #BATCH_TOKENS}. */
    public static final int MAX_BATCH_TOKENS = 1 << 20;
    /** Upper bound of {@link #ROWS_PER_BLOCK}: a task holds a whole block of rows in memory. */
    public static final int MAX_ROWS_PER_BLOCK = 1 << 16;
    /** Upper bound of {@link #INTRA_OP_THREADS}. */
    public static final int MAX_INTRA_OP_THREADS = 256;

    private static final Set<FrontEnd> MODEL_READERS =
            EnumSet.of(SPARK_CONF, EXTRACT_JOB, TRANSFORMER, CLI_EXTRACT, CLI_BENCH, SPARK_BENCHMARK, EVALUATION);
    private static final Set<FrontEnd> DECODING_READERS =
            EnumSet.of(SPARK_CONF, SQL_OPTIONS, EXTRACT_JOB, TRANSFORMER, CLI_EXTRACT, CLI_BENCH, SPARK_BENCHMARK);
    private static final Set<FrontEnd> JOB_READERS = EnumSet.of(SPARK_CONF, EXTRACT_JOB);

    /** Span rows per batch on a CPU (batchWords 0): activations of a few hundred MB for a base-size encoder. */
    public static final int CPU_BATCH_WORDS = 24_576;
    /** Sub-tokens per batch on a CPU (batchTokens 0). */
    public static final int CPU_BATCH_TOKENS = 8_192;
    /** Span rows per batch on a GPU: 8x the CPU budget, a few GB of activations, for GPUs of 16 GB and more. */
    public static final int CUDA_BATCH_WORDS = 196_608;
    /** Sub-tokens per batch on a GPU. */
    public static final int CUDA_BATCH_TOKENS = 65_536;

    private static final List<Setting<?>> REGISTERED = new ArrayList<>();

    // ---- model and placement ----

    public static final Setting<String> MODEL = register("model", Group.MODEL, SettingType.text(),
            ModelSources.DEFAULT_SOURCE, "model: a folder on the driver, a Hadoop URI, hf://owner/name[@revision], or "
                    + "default (the model bundled in the jar)", MODEL_READERS);
    public static final Setting<String> ONNX_FILE = register("onnxFile", Group.MODEL, SettingType.text(),
            ModelSources.DEFAULT_ONNX_FILE,
            "ONNX file in the bundle (root or onnx/) for every device; auto: model.gpu.onnx on CUDA if present, else model.onnx",
            MODEL_READERS);
    public static final Setting<DeviceSetting> DEVICE = register("device", Group.MODEL, SettingType.device(), "auto",
            "auto (the task's GPU when Spark assigned one, else CPU), cpu, cuda or cuda:N", MODEL_READERS);
    public static final Setting<Boolean> REQUIRE_DEVICE = register("requireDevice", Group.MODEL, SettingType.bool(),
            "false", "fail instead of falling back to CPU when the device cannot be used", MODEL_READERS);
    public static final Setting<Integer> INTRA_OP_THREADS = register("intraOpThreads", Group.MODEL,
            SettingType.integer(0, MAX_INTRA_OP_THREADS), "0",
            "ONNX Runtime threads per model (0 = runtime default)", MODEL_READERS);
    public static final Setting<Integer> BATCH_WORDS = register("batchWords", Group.MODEL,
            SettingType.integer(0, MAX_BATCH_WORDS), "0", "batch budget: padded words x max span width (0 = sized "
                    + "for the device the model runs on: " + CPU_BATCH_WORDS + " on CPU, "
                    + CUDA_BATCH_WORDS + " on CUDA)", MODEL_READERS);
    public static final Setting<Integer> BATCH_TOKENS = register("batchTokens", Group.MODEL,
            SettingType.integer(0, MAX_BATCH_TOKENS), "0", "batch budget: padded sub-tokens (0 = sized for the "
                    + "device: " + CPU_BATCH_TOKENS + " on CPU, " + CUDA_BATCH_TOKENS
                    + " on CUDA)", MODEL_READERS);
    public static final Setting<Integer> ROWS_PER_BLOCK = register("rowsPerBlock", Group.MODEL,
            SettingType.integer(1, MAX_ROWS_PER_BLOCK), "512",
            "rows a task reads before extracting them (bounds task memory)",
            EnumSet.of(SPARK_CONF, EXTRACT_JOB, TRANSFORMER, SPARK_BENCHMARK));

    // ---- decoding ----

    public static final Setting<Double> THRESHOLD = register("threshold", Group.DECODING, SettingType.probability(),
            "0.5", "keep spans with probability > threshold (strict, float32), in [0, 1); in SQL the third argument",
            sqlArgument(union(DECODING_READERS, EVALUATION)));
    public static final Setting<Map<String, Float>> LABEL_THRESHOLDS = register("labelThresholds", Group.DECODING,
            SettingType.labelThresholds(), null,
            "per-label thresholds label=value,label=value that replace threshold for their labels", DECODING_READERS);
    public static final Setting<Boolean> FLAT_NER = register("flatNer", Group.DECODING, SettingType.bool(), "true",
            "true: entities never overlap; false: nested entities allowed", DECODING_READERS);
    public static final Setting<Boolean> MULTI_LABEL = register("multiLabel", Group.DECODING, SettingType.bool(),
            "false", "whether one span may carry several labels", DECODING_READERS);
    public static final Setting<TokenScore> TOKEN_SCORE = register("tokenScore", Group.DECODING,
            SettingType.choice(TokenScore.class), "min", "score of token-level models: min or mean (mean: gliner <= "
                    + "0.2.16)", DECODING_READERS);
    public static final Setting<LongTextPolicy> LONG_TEXT = register("longText", Group.DECODING,
            SettingType.choice(LongTextPolicy.class), "chunk",
            "texts longer than the model window: chunk (overlapping windows), truncate or fail", DECODING_READERS);
    public static final Setting<Integer> WINDOW_OVERLAP = register("windowOverlap", Group.DECODING,
            SettingType.integer(0, Integer.MAX_VALUE), "50", "words shared by neighbouring windows of a chunked text",
            DECODING_READERS);

    // ---- task ----

    public static final Setting<List<String>> LABELS = register("labels", Group.TASK, SettingType.list(),
            "person,organization,location,date,product", "comma-separated entity labels, in plain words",
            EnumSet.of(SPARK_CONF, EXTRACT_JOB, CLI_EXTRACT, CLI_BENCH, SPARK_BENCHMARK));

    public static final Setting<Map<String, String>> LABEL_DESCRIPTIONS = register("labelDescriptions", Group.TASK,
            SettingType.labelDescriptions(), null, "JSON object of label to description, e.g. {\"drug\": \"a "
                    + "medication\"}: the prompt carries a label's description in its place, entities keep the label",
            EnumSet.of(SPARK_CONF, EXTRACT_JOB, CLI_EXTRACT, TRANSFORMER));

    // ---- extraction job ----

    public static final Setting<String> INPUT = register("input", Group.JOB, SettingType.text(),
            "jobs/sample/docs.jsonl", "input path (file or folder) or catalog table; default: the sample corpus, "
                    + "only when neither output nor outputTable is set",
            JOB_READERS);
    public static final Setting<InputFormat> INPUT_FORMAT = register("inputFormat", Group.JOB,
            SettingType.choice(InputFormat.class), "auto",
            "jsonl, json, parquet, csv, text, delta, table, or auto (from the extension; a folder with _delta_log is "
                    + "delta; a name without / or : is a table)", JOB_READERS);
    public static final Setting<String> ID_COLUMN = register("idColumn", Group.JOB, SettingType.text(), "id",
            "document id column, resolved as Spark resolves column names; when it is set and missing the job fails; "
                    + "left at its default and missing, or for a NULL id, the id is sha256:<SHA-256 of the text columns>",
            JOB_READERS);
    public static final Setting<List<String>> TEXT_COLUMNS = register("textColumns", Group.JOB, SettingType.list(),
            "text", "comma-separated text columns (text input: the column is 'value')", JOB_READERS);
    public static final Setting<String> OUTPUT = register("output", Group.JOB, SettingType.text(), "gliner-output",
            "output folder or URI: Delta tables <output>/entities and <output>/documents", JOB_READERS);
    public static final Setting<String> OUTPUT_TABLE = register("outputTable", Group.JOB, SettingType.text(), null,
            "write catalog tables <name> (entities) and <name>_documents instead of paths", JOB_READERS);
    public static final Setting<WriteMode> MODE = register("mode", Group.JOB, SettingType.choice(WriteMode.class),
            "merge",
            "append, merge (idempotent upsert per document) or overwrite (not for streams, nor with incremental or limit)",
            JOB_READERS);
    public static final Setting<Boolean> INCREMENTAL = register("incremental", Group.JOB, SettingType.bool(), "false",
            "process only documents whose text, model and labels are not yet in the documents table without error",
            JOB_READERS);
    public static final Setting<List<String>> PARTITION_BY = register("partitionBy", Group.JOB, SettingType.list(),
            null, "comma-separated partition columns of the tables, e.g. label (an existing table's must match, except "
                    + "in overwrite mode)", JOB_READERS);
    public static final Setting<Integer> PARTITIONS = register("partitions", Group.JOB,
            SettingType.integer(1, Integer.MAX_VALUE), null,
            "repartition the input into this many partitions (default: one per 32 KB of input, at most 3 per core of the "
                    + "application, when the input has fewer; else keep)", JOB_READERS);
    public static final Setting<Integer> LIMIT = register("limit", Group.JOB, SettingType.integer(1, Integer.MAX_VALUE),
            null, "process at most this many documents (job: of those not yet done when incremental; evaluation: "
                    + "sentences of each dataset)",
            EnumSet.of(SPARK_CONF, EXTRACT_JOB, CLI_BENCH, SPARK_BENCHMARK, EVALUATION));
    public static final Setting<String> RUN_ID = register("runId", Group.JOB, SettingType.text(), null,
            "id stored with every row of this run (default: a timestamp)", JOB_READERS);
    public static final Setting<Boolean> STREAMING = register("streaming", Group.JOB, SettingType.bool(), "false",
            "read the input as a stream (Delta table or file folder) and write each micro-batch exactly once until "
                    + "no input is left", JOB_READERS);
    public static final Setting<String> CHECKPOINT = register("checkpoint", Group.JOB, SettingType.text(), null,
            "streaming checkpoint location (default <output>/_checkpoint; required with outputTable)", JOB_READERS);
    public static final Setting<Integer> EXAMPLES = register("examples", Group.JOB,
            SettingType.integer(0, Integer.MAX_VALUE), "0", "example entity rows printed in the summary (their "
                    + "texts, which may be personal data, go to the driver's output)", JOB_READERS);

    // ---- evaluation ----

    public static final Setting<String> DATA = register("data", Group.EVALUATION, SettingType.text(), null,
            "a GLiNER JSON dataset folder (<split>.json + labels.json), a folder of them, a CoNLL file or a folder "
                    + "of them (required)", EnumSet.of(EVALUATION));
    public static final Setting<Map<String, String>> LABELS_MAP = register("labelsMap", Group.EVALUATION,
            SettingType.mapping(), null, "CoNLL tag type to prompt, TYPE=prompt,...; the prompts of a CoNLL dataset, "
                    + "in this order", EnumSet.of(EVALUATION));
    public static final Setting<String> SPLIT = register("split", Group.EVALUATION, SettingType.text(), "test",
            "split file of GLiNER JSON datasets", EnumSet.of(EVALUATION));
    public static final Setting<String> DELTA_OUT = register("deltaOut", Group.EVALUATION, SettingType.text(), null,
            "append one row per dataset to this Delta table", EnumSet.of(EVALUATION));
    public static final Setting<Boolean> NESTED = register("nested", Group.EVALUATION, SettingType.bool(), "false",
            "true: every dataset decoded with nested spans; false: only those whose name contains ACE, GENIA or "
                    + "Corpus, as the reference evaluation", EnumSet.of(EVALUATION));

    // ---- benchmarks ----

    public static final Setting<String> CORPUS = register("corpus", Group.BENCHMARK, SettingType.text(),
            "jobs/sample/docs.jsonl", "JSONL file with a \"text\" field per line; default: the sample corpus",
            EnumSet.of(CLI_BENCH, SPARK_BENCHMARK));

    // ---- Transformer columns ----

    public static final Setting<String> INPUT_COL = register("inputCol", Group.COLUMNS, SettingType.text(), null,
            "text column (string)", EnumSet.of(TRANSFORMER));
    public static final Setting<List<String>> INPUT_COLS = register("inputCols", Group.COLUMNS, SettingType.list(),
            null, "text columns (string); use instead of inputCol", EnumSet.of(TRANSFORMER));
    public static final Setting<String> OUTPUT_COL = register("outputCol", Group.COLUMNS, SettingType.text(),
            "entities", "entities column for inputCol", EnumSet.of(TRANSFORMER));
    public static final Setting<List<String>> OUTPUT_COLS = register("outputCols", Group.COLUMNS, SettingType.list(),
            null, "entities columns, one per inputCols entry", EnumSet.of(TRANSFORMER));
    public static final Setting<String> LABELS_COL = register("labelsCol", Group.COLUMNS, SettingType.text(), null,
            "array<string> column with each row's labels; use instead of labels", EnumSet.of(TRANSFORMER));
    public static final Setting<String> ERROR_COL = register("errorCol", Group.COLUMNS, SettingType.text(), null,
            "when set, a row that cannot be extracted gets NULL entities and its error message in this column; when "
                    + "unset, such a row fails the job", EnumSet.of(TRANSFORMER));

    // ---- application limits ----

    /** The {@link #ALLOWED_MODEL_SOURCES} entry that allows every source. */
    public static final String ANY_MODEL_SOURCE = "any";
    /** The {@link #ALLOWED_MODEL_SOURCES} entry that allows the application's own model and ONNX file. */
    public static final String APPLICATION_MODEL_SOURCE = "application";

    public static final Setting<List<String>> ALLOWED_MODEL_SOURCES = register("allowedModelSources", Group.LIMITS,
            SettingType.list(), null, "model sources a Transformer may load: comma-separated entries any, application "
                    + "(the application's model and onnxFile), default (the bundled model), or a source or prefix "
                    + "(/models/, hdfs://host/models/, hf://owner/); unset: any, except for Spark Connect clients, "
                    + "which get application", EnumSet.of(SPARK_CONF));
    public static final Setting<Integer> SQL_MAX_TEXT_CHARS = register("sqlMaxTextChars", Group.LIMITS,
            SettingType.integer(1, Integer.MAX_VALUE), "1000000", "longest text, in Unicode code points, a SQL call "
                    + "of gliner_extract extracts; a longer text gives NULL without reaching the model",
            EnumSet.of(SPARK_CONF));

    private static final List<Setting<?>> ALL = List.copyOf(REGISTERED);
    private static final Map<String, Setting<?>> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(Setting::name, Function.identity()));

    private Settings() {
    }

    private static <T> Setting<T> register(String name, Group group, SettingType<T> type, String defaultText,
                                           String doc, Set<FrontEnd> frontEnds) {
        Setting<T> setting = new Setting<>(name, group, type, defaultText, doc, frontEnds);
        REGISTERED.add(setting);
        return setting;
    }

    /** Readers without the SQL options map: the setting is an argument of its own there. */
    private static Set<FrontEnd> sqlArgument(Set<FrontEnd> readers) {
        Set<FrontEnd> all = EnumSet.copyOf(readers);
        all.remove(SQL_OPTIONS);
        return all;
    }

    private static Set<FrontEnd> union(Set<FrontEnd> readers, FrontEnd more) {
        Set<FrontEnd> all = EnumSet.copyOf(readers);
        all.add(more);
        return all;
    }

    /** Every setting, grouped, in the order help texts list them. */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /** The settings {@code frontEnd} reads, in registry order. */
    public static List<Setting<?>> readBy(FrontEnd frontEnd) {
        return ALL.stream().filter(s -> s.readBy(frontEnd)).toList();
    }

    /** The settings of {@code group}, in registry order. */
    public static List<Setting<?>> inGroup(Group group) {
        return ALL.stream().filter(s -> s.group() == group).toList();
    }

    /** The names of the settings {@code frontEnd} reads. */
    public static List<String> namesReadBy(FrontEnd frontEnd) {
        return readBy(frontEnd).stream().map(Setting::name).toList();
    }

    /** The setting called {@code name}, or null. */
    public static Setting<?> byName(String name) {
        return BY_NAME.get(name);
    }

    /**
     * The setting called {@code name} when {@code frontEnd} reads it.
     *
     * @param source where the name was found, for the error ("command line", a file name ...)
     * @throws IllegalArgumentException naming the unknown setting and where it was found
     */
    public static Setting<?> require(String name, FrontEnd frontEnd, Spelling spelling, String source) {
        Setting<?> setting = BY_NAME.get(name);
        if (setting == null || !setting.readBy(frontEnd)) {
            throw new IllegalArgumentException("unknown option '" + name + "' (" + source + ")"
                    + (setting == null ? "" : ": " + spelling.of(name) + " is not read here")
                    + "; run with --help for the list");
        }
        return setting;
    }
}
