package io.glinerspark.spark.jobs;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.InputFormat;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.settings.WriteMode;
import io.glinerspark.source.Location;
import io.glinerspark.spark.ModelIdentity;
import io.glinerspark.spark.delta.DeltaTarget;
import io.glinerspark.spark.delta.DocumentResults;
import io.glinerspark.spark.delta.EntityTablePipeline;
import io.glinerspark.spark.delta.EntityTableWriter;
import io.glinerspark.spark.delta.EntityTables;
import io.glinerspark.spark.delta.WriteSummary;
import io.glinerspark.spark.ml.GlinerTransformer;
import io.glinerspark.spark.task.ExtractionMetrics;
import io.glinerspark.spark.task.JobModel;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

/**
 * The extraction job: reads documents, extracts entities with a GLiNER model and writes Delta tables, then prints
 * a summary. Launch with {@code jobs/extract.sh} (spark-submit); with no options it runs locally on the sample
 * corpus and the bundled model, writing under {@code ./gliner-output}. See {@link ExtractJobOptions} for options.
 */
public final class ExtractJob {

    /** Environment variable naming the project folder (sample corpus, defaults file); the scripts set it. */
    public static final String HOME_ENV = "GLINER_ROOT";

    private final SparkSession spark;
    private final ExtractJobOptions options;
    private final PrintStream out;

    ExtractJob(SparkSession spark, ExtractJobOptions options, PrintStream out) {
        this.spark = spark;
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(ExtractJobOptions.help());
            return;
        }
        SparkConf conf = new SparkConf();
        Map<String, String> sparkConf = new LinkedHashMap<>();
        for (Tuple2<String, String> entry : conf.getAll()) {
            sparkConf.put(entry._1(), entry._2());
        }
        String home = System.getenv(HOME_ENV);
        ExtractJobOptions options = ExtractJobOptions.parse(List.of(args), sparkConf, Path.of(home == null ? "." : home));
        SparkSession spark = JobSessions.create(conf, "gliner-extract");
        try {
            new ExtractJob(spark, options, System.out).run();
        } finally {
            spark.stop();
        }
    }

    void run() throws StreamingQueryException {
        requireCoherentOptions();
        EntityTableWriter writer = writer();
        writer.requirePartitioning();
        Instant started = Instant.now();
        String runId = options.get(Settings.RUN_ID) != null ? options.get(Settings.RUN_ID)
                : DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC).format(started);
        List<String> labels = options.get(Settings.LABELS);
        List<String> textColumns = options.get(Settings.TEXT_COLUMNS);
        GlinerTransformer transformer = new GlinerTransformer().setSettings(options.settings())
                .setLabels(labels.toArray(String[]::new));
        ModelOptions modelOptions = transformer.modelOptions();
        // Contradicting decoding settings fail here, before the model is loaded.
        transformer.extractionOptions();
        JobModel jobModel = JobModel.prepare(spark, modelOptions);
        ModelIdentity model = ModelIdentity.of(jobModel);
        Map<String, String> descriptions = options.get(Settings.LABEL_DESCRIPTIONS);
        if (descriptions != null) {
            for (String described : descriptions.keySet()) {
                // A description of no label is a misspelt label: it would silently change nothing.
                if (!labels.contains(described)) {
                    throw new IllegalArgumentException(key(Settings.LABEL_DESCRIPTIONS) + ": describes '" + described
                            + "', which is not among " + key(Settings.LABELS) + " " + labels);
                }
            }
        }
        try (GlinerModel onDriver = jobModel.onDriver()) {
            // Labels no text can be extracted with would fail every row; fail the job before anything is written.
            onDriver.checkLabels(transformer.labelSet());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key(Settings.LABELS) + ": " + e.getMessage(), e);
        }

        ExtractionMetrics metrics = ExtractionMetrics.register(spark.sparkContext());
        transformer.setMetrics(metrics).usePreparedModel(jobModel);

        boolean streaming = options.get(Settings.STREAMING);
        if (streaming) {
            writer.requireStreamable();
        }
        String input = options.get(Settings.INPUT);
        InputSource source = new InputSource(spark, input, options.get(Settings.INPUT_FORMAT));
        Dataset<Row> documents = streaming ? source.readStream() : source.read();
        for (String text : textColumns) {
            if (!Arrays.asList(documents.columns()).contains(text)) {
                throw new IllegalArgumentException("text column '" + text + "' not in input " + input + " (columns: "
                        + Arrays.toString(documents.columns()) + "); set spark.gliner.textColumns");
            }
        }
        String idColumn = idColumn(documents, input);
        boolean derivedIds = idColumn == null;
        WorkPartitions partitions = streaming ? null
                : WorkPartitions.of(documents, options.get(Settings.PARTITIONS), spark.sparkContext().defaultParallelism());
        if (partitions != null) {
            documents = partitions.apply(documents);
        }
        EntityTablePipeline pipeline = EntityTablePipeline.create(jobModel, transformer,
                derivedIds ? null : idColumn, textColumns, runId, started, writer);
        DocumentResults.Provenance provenance = pipeline.provenance();

        out.println("gliner-spark extraction, run " + runId);
        out.println("  input      " + input + " (" + Settings.INPUT_FORMAT.type().format(source.format()) + ")" + (derivedIds
                ? ", ids: " + EntityTablePipeline.DERIVED_ID_PREFIX + "SHA-256 of " + String.join(", ", textColumns)
                : ", ids: column " + idColumn + " (" + EntityTablePipeline.DERIVED_ID_PREFIX + "SHA-256 of the text "
                + "where NULL)"));
        if (partitions != null) {
            out.println("  partitions " + partitions.describe());
        }
        out.println("  model      " + model.describe() + ", device " + modelOptions.device()
                + " (what each executor got: see devices in the summary)");
        if (model.fixture()) {
            out.println();
            out.println("  !!! WARNING: the model is a TEST FIXTURE (random weights). Its entities are meaningless; !!!");
            out.println("  !!! set spark.gliner.model to a trained GLiNER model for real results.                  !!!");
            out.println();
        }
        out.println("  labels     " + String.join(", ", labels) + (descriptions == null || descriptions.isEmpty() ? ""
                : ", " + descriptions.size() + " prompted by their descriptions") + " (fingerprint "
                + provenance.labelsFingerprint() + ")");
        out.println("  output     " + writer.entities() + " and " + writer.documents() + ", mode "
                + Settings.MODE.type().format(options.get(Settings.MODE)) + (options.get(Settings.INCREMENTAL) ? ", incremental" : "")
                + (streaming ? ", streaming" : ""));
        out.flush();

        long t0 = System.nanoTime();
        if (streaming) {
            spark.sparkContext().setJobDescription("gliner: stream micro-batches into " + writer.entities());
            String checkpoint = options.get(Settings.CHECKPOINT) != null ? options.get(Settings.CHECKPOINT)
                    : outputRoot() + "/_checkpoint";
            StreamingQuery query = pipeline.startStream(documents, checkpoint, Trigger.AvailableNow());
            query.awaitTermination();
        } else {
            spark.sparkContext().setJobDescription("gliner: extract " + input + " and write " + writer.entities());
            pipeline.run(documents, options.get(Settings.INCREMENTAL), options.get(Settings.LIMIT));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        spark.sparkContext().setJobDescription("gliner: summary");
        printSummary(writer, runId, seconds, metrics);
    }

    /** Options that contradict each other fail here, before the model is loaded and before any table is touched. */
    private void requireCoherentOptions() {
        boolean outputGiven = options.settings().isGiven(Settings.OUTPUT) || options.settings().isGiven(Settings.OUTPUT_TABLE);
        if (outputGiven && !options.inputGiven()) {
            // Only a run with no options at all is a demonstration on the sample corpus: a run that names its output
            // and forgot its input would store the sample corpus among the real results.
            throw new IllegalArgumentException(key(Settings.INPUT) + " is not set, but " + key(Settings.OUTPUT) + " or "
                    + key(Settings.OUTPUT_TABLE) + " is: name the input (--input; the sample corpus is "
                    + options.get(Settings.INPUT) + ")");
        }
        boolean streaming = options.get(Settings.STREAMING);
        if (streaming && (options.get(Settings.LIMIT) != null || options.get(Settings.INCREMENTAL))) {
            throw new IllegalArgumentException("spark.gliner.limit and spark.gliner.incremental do not apply to streams: "
                    + "a stream processes each input once, resuming from its checkpoint");
        }
        if (streaming && options.get(Settings.OUTPUT_TABLE) != null && options.get(Settings.CHECKPOINT) == null) {
            // A catalog table's storage is the catalog's business; a default checkpoint would be a folder relative to
            // wherever the driver happens to run, and a run from elsewhere would start a new stream.
            throw new IllegalArgumentException(key(Settings.STREAMING) + " into catalog tables (" + key(Settings.OUTPUT_TABLE)
                    + "=" + options.get(Settings.OUTPUT_TABLE) + ") needs " + key(Settings.CHECKPOINT)
                    + ": a location that every run of the stream reaches, e.g. beside the tables' storage");
        }
        if (options.get(Settings.MODE) == WriteMode.OVERWRITE) {
            // Both select a part of the input, and an overwrite would replace the whole tables with that part:
            // with every document done already, an incremental overwrite empties them.
            for (Setting<?> partial : List.of(Settings.INCREMENTAL, Settings.LIMIT)) {
                Object value = options.get(partial);
                if (value != null && !Boolean.FALSE.equals(value)) {
                    throw new IllegalArgumentException(key(Settings.MODE) + "=overwrite cannot be combined with "
                            + key(partial) + "=" + value + ": the run would process only part of the input and "
                            + "replace the tables with that part; use " + key(Settings.MODE) + "=merge");
                }
            }
        }
    }

    /**
     * The input's id column as Spark resolves the option's name ({@code spark.sql.caseSensitive}), or null for ids
     * derived from the texts: only when the option is left at its default and the input has no such column. A
     * named column the input lacks fails the job: deriving ids instead would store every document again.
     */
    private String idColumn(Dataset<Row> documents, String input) {
        String wanted = options.get(Settings.ID_COLUMN);
        boolean caseSensitive = Boolean.parseBoolean(spark.conf().get("spark.sql.caseSensitive", "false"));
        List<String> matches = Arrays.stream(documents.columns())
                .filter(c -> caseSensitive ? c.equals(wanted) : c.equalsIgnoreCase(wanted)).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException(key(Settings.ID_COLUMN) + ": '" + wanted + "' names several columns of "
                    + input + " " + matches + " (spark.sql.caseSensitive=false); name one exactly with "
                    + "spark.sql.caseSensitive=true");
        }
        if (matches.isEmpty()) {
            if (options.settings().isGiven(Settings.ID_COLUMN)) {
                throw new IllegalArgumentException(key(Settings.ID_COLUMN) + ": column '" + wanted + "' not in input "
                        + input + " (columns: " + Arrays.toString(documents.columns()) + "); leave the option unset "
                        + "to derive ids from the texts");
            }
            return null;
        }
        return matches.get(0);
    }

    private static String key(Setting<?> setting) {
        return Spelling.CONF_KEY.of(setting.name());
    }

    private EntityTableWriter writer() {
        WriteMode mode = options.get(Settings.MODE);
        List<String> partitionBy = options.get(Settings.PARTITION_BY) != null ? options.get(Settings.PARTITION_BY)
                : List.of();
        String table = options.get(Settings.OUTPUT_TABLE);
        if (table != null) {
            return new EntityTableWriter(spark, DeltaTarget.table(table),
                    DeltaTarget.table(table + "_documents"), mode, partitionBy);
        }
        String root = outputRoot();
        return new EntityTableWriter(spark, DeltaTarget.path(root + "/entities"),
                DeltaTarget.path(root + "/documents"), mode, partitionBy);
    }

    /** The output folder: a URI as given, a local path made absolute. */
    private String outputRoot() {
        String output = options.get(Settings.OUTPUT);
        return Location.parse(output).isUri() ? output : Path.of(output).toAbsolutePath().normalize().toString();
    }

    private void printSummary(EntityTableWriter writer, String runId, double seconds, ExtractionMetrics metrics) {
        WriteSummary written = writer.written();
        out.println();
        out.println("Summary");
        out.printf(Locale.ROOT, "  documents  %d written (%d with errors) in %.1f s: %.2f documents/s%n",
                written.documents(), written.failed(), seconds, written.documents() / Math.max(seconds, 1e-9));
        out.printf(Locale.ROOT, "  time       %.1f s since the Spark session started; of the run, %.1f s reading and extracting, "
                        + "%.1f s writing Delta%n", (System.currentTimeMillis() - spark.sparkContext().startTime()) / 1e3,
                written.resultSeconds(), written.deltaSeconds());
        out.println("  entities   " + written.entities());
        written.entitiesPerLabel().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.printf(Locale.ROOT, "    %-20s %d%n", e.getKey(), e.getValue()));
        out.println("  progress   " + metrics.snapshot());
        List<String> devices = metrics.deviceReport();
        for (int i = 0; i < devices.size(); i++) {
            out.println((i == 0 ? "  devices    " : "             ") + devices.get(i));
        }
        out.println("  tables     entities:  " + writer.entities());
        out.println("             documents: " + writer.documents());
        int examples = options.get(Settings.EXAMPLES);
        if (examples > 0 && written.entities() > 0) {
            out.println("  examples");
            Dataset<Row> shown = writer.read(writer.entities()).filter(col(EntityTables.RUN_ID).equalTo(runId))
                    .orderBy(desc(EntityTables.SCORE), col(EntityTables.DOC_ID), col(EntityTables.START))
                    .select(EntityTables.DOC_ID, EntityTables.SOURCE_COLUMN, EntityTables.ENTITY_TEXT, EntityTables.LABEL,
                            EntityTables.START, EntityTables.END, EntityTables.SCORE);
            out.print(TextTable.format(shown.schema(), shown.limit(examples).collectAsList(), "    "));
        }
        if (written.failed() > 0) {
            out.println("  first errors");
            for (String error : written.firstErrors()) {
                out.println("    " + error);
            }
        }
        out.flush();
    }

    /** How the job reads its input. */
    static final class InputSource {
        private final SparkSession spark;
        private final String location;
        private final InputFormat format;

        InputSource(SparkSession spark, String location, InputFormat format) {
            this.spark = spark;
            this.location = location;
            this.format = format == InputFormat.AUTO ? detect(location) : format;
        }

        InputFormat format() {
            return format;
        }

        Dataset<Row> read() {
            return switch (format) {
                case TABLE -> spark.table(location);
                case DELTA -> spark.read().format("delta").load(location);
                default -> fileReader(spark.read().format(format.fileSource())).load(location);
            };
        }

        Dataset<Row> readStream() {
            return switch (format) {
                case TABLE -> spark.readStream().table(location);
                case DELTA -> spark.readStream().format("delta").load(location);
                default -> {
                    // File streams need their schema up front: take it from the files there now.
                    StructType schema = read().schema();
                    var reader = spark.readStream().format(format.fileSource()).schema(schema);
                    if (format == InputFormat.CSV) {
                        reader = reader.option("header", "true");
                    }
                    yield reader.load(location);
                }
            };
        }

        private DataFrameReader fileReader(DataFrameReader reader) {
            return format == InputFormat.CSV ? reader.option("header", "true") : reader;
        }

        private static InputFormat detect(String location) {
            boolean local = !Location.parse(location).isUri();
            if (local && !location.contains("/")) {
                return InputFormat.TABLE;
            }
            if (local && Files.isDirectory(Path.of(location, "_delta_log"))) {
                return InputFormat.DELTA;
            }
            InputFormat byName = byExtension(location.replaceAll("/+$", ""));
            if (byName != null) {
                return byName;
            }
            if (local && Files.isDirectory(Path.of(location))) {
                try (var files = Files.list(Path.of(location))) {
                    InputFormat byFile = files.map(p -> byExtension(p.getFileName().toString()))
                            .filter(java.util.Objects::nonNull).findFirst().orElse(null);
                    if (byFile != null) {
                        return byFile;
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot list input folder " + location + ": " + e.getMessage(), e);
                }
            }
            throw new IllegalArgumentException("cannot tell the format of " + location + "; set spark.gliner.inputFormat");
        }

        private static InputFormat byExtension(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, InputFormat> rule : EXTENSIONS.entrySet()) {
                if (lower.endsWith(rule.getKey())) {
                    return rule.getValue();
                }
            }
            return null;
        }

        /** File extensions and their formats, longest first where one ends another ({@code .jsonl}, {@code .json}). */
        private static final Map<String, InputFormat> EXTENSIONS = linked(".jsonl", InputFormat.JSONL,
                ".ndjson", InputFormat.JSONL, ".json", InputFormat.JSON, ".parquet", InputFormat.PARQUET,
                ".csv", InputFormat.CSV, ".txt", InputFormat.TEXT);

        private static Map<String, InputFormat> linked(Object... pairs) {
            Map<String, InputFormat> map = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                map.put((String) pairs[i], (InputFormat) pairs[i + 1]);
            }
            return map;
        }
    }
}
