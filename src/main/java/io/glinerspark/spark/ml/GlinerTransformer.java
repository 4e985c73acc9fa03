package io.glinerspark.spark.ml;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.InvalidLabelsException;
import io.glinerspark.ModelOptions;
import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.GlinerConf;
import io.glinerspark.spark.task.ExecutorModel;
import io.glinerspark.spark.task.ExtractionMetrics;
import io.glinerspark.spark.task.TaskDevice;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spark ML transformer that adds an entities column ({@link EntitySchema#ENTITIES}) for each of one or more text
 * columns. Input columns are kept; a NULL text gives NULL, an empty text an empty array. Usable in a
 * {@code Pipeline} and saved/loaded with {@code write().save(path)} / {@link #load(String)}.
 *
 * <p>Labels are either one list for every row ({@code labels}, broadcast once per job) or a per-row
 * {@code array<string>} column ({@code labelsCol}). Rows are extracted in blocks of {@code rowsPerBlock} by one
 * model per executor JVM; a row whose extraction fails on its input (for instance an empty per-row label) either
 * fails the job with a message naming the row, or, when {@code errorCol} is set, gets NULL entities and the message
 * in that column.
 */
public final class GlinerTransformer extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final DefaultParamsReadable<GlinerTransformer> READABLE = new DefaultParamsReadable<>() {
    };

    private final String uid;
    private final Param<String> inputCol;
    private final StringArrayParam inputCols;
    private final Param<String> outputCol;
    private final StringArrayParam outputCols;
    private final StringArrayParam labels;
    private final Param<String> labelsCol;
    private final Param<String> errorCol;
    private final DoubleParam threshold;
    private final LabelThresholdsParam labelThresholds;
    private final Param<String> labelThresholdsSpec;
    private final BooleanParam flatNer;
    private final BooleanParam multiLabel;
    private final Param<String> longText;
    private final IntParam windowOverlap;
    private final Param<String> tokenScore;
    private final Param<String> model;
    private final Param<String> onnxFile;
    private final Param<String> device;
    private final BooleanParam requireDevice;
    private final IntParam batchWords;
    private final IntParam batchTokens;
    private final IntParam intraOpThreads;
    private final IntParam rowsPerBlock;

    private transient ExtractionMetrics metrics;

    public GlinerTransformer() {
        this(Identifiable.randomUID("gliner"));
    }

    /** Used by {@link #copy} and by the pipeline reader. */
    public GlinerTransformer(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "text column (string)");
        inputCols = new StringArrayParam(this, "inputCols", "text columns (string); use instead of inputCol");
        outputCol = new Param<>(this, "outputCol", "entities column for inputCol");
        outputCols = new StringArrayParam(this, "outputCols", "entities columns, one per inputCols entry");
        labels = new StringArrayParam(this, "labels", "entity labels for every row, in plain words");
        labelsCol = new Param<>(this, "labelsCol", "array<string> column with each row's labels; use instead of labels");
        errorCol = new Param<>(this, "errorCol",
                "when set, a row that cannot be extracted gets NULL entities and its error message in this column; "
                        + "when unset, such a row fails the job");
        threshold = new DoubleParam(this, "threshold", "probability threshold in [0, 1)", ParamValidators.inRange(0, 1, true, false));
        labelThresholds = new LabelThresholdsParam(this, "labelThresholds", "per-label thresholds that replace threshold");
        labelThresholdsSpec = new Param<>(this, "labelThresholdsSpec",
                "per-label thresholds as 'label=threshold,...', the form Python and Spark Connect clients can send; "
                        + "use instead of labelThresholds");
        flatNer = new BooleanParam(this, "flatNer", "true: entities never overlap; false: nested entities allowed");
        multiLabel = new BooleanParam(this, "multiLabel", "whether one span may carry several labels");
        longText = new Param<>(this, "longText", "texts longer than the model window: chunk, truncate or fail",
                ParamValidators.inArray(new String[]{"chunk", "truncate", "fail"}));
        windowOverlap = new IntParam(this, "windowOverlap", "words shared by neighbouring windows of a chunked text",
                ParamValidators.gtEq(0));
        tokenScore = new Param<>(this, "tokenScore", "score of token-level models: min or mean",
                ParamValidators.inArray(new String[]{"min", "mean"}));
        model = new Param<>(this, "model",
                "model source: a folder on the driver, a Hadoop URI, hf://owner/name[@revision], or default (bundled)");
        onnxFile = new Param<>(this, "onnxFile", "ONNX file inside the model bundle");
        device = new Param<>(this, "device", "auto (the task's GPU when Spark assigned one, else CPU), cpu, cuda or cuda:N");
        requireDevice = new BooleanParam(this, "requireDevice", "fail instead of falling back to CPU");
        batchWords = new IntParam(this, "batchWords", "batch budget: padded words x max span width (0 = sized for the "
                + "device the model runs on)", ParamValidators.gtEq(0));
        batchTokens = new IntParam(this, "batchTokens", "batch budget: padded sub-tokens (0 = sized for the device)",
                ParamValidators.gtEq(0));
        intraOpThreads = new IntParam(this, "intraOpThreads", "ONNX Runtime threads per model (0 = runtime default)",
                ParamValidators.gtEq(0));
        rowsPerBlock = new IntParam(this, "rowsPerBlock", "rows a task reads before extracting them (bounds memory)",
                ParamValidators.gt(0));

        ExtractionOptions decoding = ExtractionOptions.defaults();
        ModelOptions modelDefaults = ModelOptions.defaults();
        setDefault(outputCol, "entities");
        setDefault(threshold, (double) decoding.threshold());
        setDefault(labelThresholds, Map.of());
        setDefault(flatNer, decoding.flatNer());
        setDefault(multiLabel, decoding.multiLabel());
        setDefault(longText, decoding.longText().name().toLowerCase(java.util.Locale.ROOT));
        setDefault(windowOverlap, decoding.windowOverlap());
        setDefault(tokenScore, decoding.tokenScore().name().toLowerCase(java.util.Locale.ROOT));
        setDefault(model, modelDefaults.source());
        setDefault(onnxFile, modelDefaults.onnxFile());
        setDefault(device, GlinerConf.DEFAULT_DEVICE);
        setDefault(requireDevice, modelDefaults.requireDevice());
        setDefault(batchWords, modelDefaults.batchWords());
        setDefault(batchTokens, modelDefaults.batchTokens());
        setDefault(intraOpThreads, modelDefaults.intraOpThreads());
        setDefault(rowsPerBlock, GlinerConf.DEFAULT_ROWS_PER_BLOCK);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- parameters (public no-argument accessors: Spark ML finds parameters through them) ----

    public Param<String> inputCol() {
        return inputCol;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public StringArrayParam outputCols() {
        return outputCols;
    }

    public StringArrayParam labels() {
        return labels;
    }

    public Param<String> labelsCol() {
        return labelsCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public DoubleParam threshold() {
        return threshold;
    }

    public LabelThresholdsParam labelThresholds() {
        return labelThresholds;
    }

    public Param<String> labelThresholdsSpec() {
        return labelThresholdsSpec;
    }

    public BooleanParam flatNer() {
        return flatNer;
    }

    public BooleanParam multiLabel() {
        return multiLabel;
    }

    public Param<String> longText() {
        return longText;
    }

    public IntParam windowOverlap() {
        return windowOverlap;
    }

    public Param<String> tokenScore() {
        return tokenScore;
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> onnxFile() {
        return onnxFile;
    }

    public Param<String> device() {
        return device;
    }

    public BooleanParam requireDevice() {
        return requireDevice;
    }

    public IntParam batchWords() {
        return batchWords;
    }

    public IntParam batchTokens() {
        return batchTokens;
    }

    public IntParam intraOpThreads() {
        return intraOpThreads;
    }

    public IntParam rowsPerBlock() {
        return rowsPerBlock;
    }

    // ---- setters ----

    public GlinerTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    public GlinerTransformer setInputCols(String... value) {
        set(inputCols, value);
        return this;
    }

    public GlinerTransformer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    public GlinerTransformer setOutputCols(String... value) {
        set(outputCols, value);
        return this;
    }

    public GlinerTransformer setLabels(String... value) {
        set(labels, value);
        return this;
    }

    public GlinerTransformer setLabelsCol(String value) {
        set(labelsCol, value);
        return this;
    }

    public GlinerTransformer setErrorCol(String value) {
        set(errorCol, value);
        return this;
    }

    public GlinerTransformer setThreshold(double value) {
        set(threshold, value);
        return this;
    }

    public GlinerTransformer setLabelThresholds(Map<String, Double> value) {
        set(labelThresholds, new LinkedHashMap<>(value));
        return this;
    }

    /** Per-label thresholds as {@code label=threshold,...}; use instead of {@link #setLabelThresholds(Map)}. */
    public GlinerTransformer setLabelThresholdsSpec(String value) {
        set(labelThresholdsSpec, value);
        return this;
    }

    public GlinerTransformer setFlatNer(boolean value) {
        set(flatNer, value);
        return this;
    }

    public GlinerTransformer setMultiLabel(boolean value) {
        set(multiLabel, value);
        return this;
    }

    public GlinerTransformer setLongText(String value) {
        set(longText, value);
        return this;
    }

    public GlinerTransformer setWindowOverlap(int value) {
        set(windowOverlap, value);
        return this;
    }

    public GlinerTransformer setTokenScore(String value) {
        set(tokenScore, value);
        return this;
    }

    public GlinerTransformer setModel(String value) {
        set(model, value);
        return this;
    }

    public GlinerTransformer setOnnxFile(String value) {
        set(onnxFile, value);
        return this;
    }

    public GlinerTransformer setDevice(String value) {
        set(device, TaskDevice.validate(value));
        return this;
    }

    public GlinerTransformer setRequireDevice(boolean value) {
        set(requireDevice, value);
        return this;
    }

    public GlinerTransformer setBatchWords(int value) {
        set(batchWords, value);
        return this;
    }

    public GlinerTransformer setBatchTokens(int value) {
        set(batchTokens, value);
        return this;
    }

    public GlinerTransformer setIntraOpThreads(int value) {
        set(intraOpThreads, value);
        return this;
    }

    public GlinerTransformer setRowsPerBlock(int value) {
        set(rowsPerBlock, value);
        return this;
    }

    /** Counters to update while this transformer's output is computed (not saved with the pipeline). */
    public GlinerTransformer setMetrics(ExtractionMetrics value) {
        this.metrics = value;
        return this;
    }

    // ---- settings as core options ----

    /** The model options these parameters describe (device possibly {@code auto}, see {@link TaskDevice}). */
    public ModelOptions modelOptions() {
        return new ModelOptions(getOrDefault(model), getOrDefault(onnxFile), TaskDevice.validate(getOrDefault(device)),
                (Boolean) getOrDefault(requireDevice), (Integer) getOrDefault(intraOpThreads),
                ModelOptions.defaults().interOpThreads(), ModelOptions.defaults().optimization(),
                (Integer) getOrDefault(batchWords), (Integer) getOrDefault(batchTokens));
    }

    /** The decoding options these parameters describe. */
    public ExtractionOptions extractionOptions() {
        if (isSet(labelThresholds) && isSet(labelThresholdsSpec)) {
            throw new IllegalArgumentException("gliner: set one of labelThresholds (a map) and labelThresholdsSpec ('"
                    + getOrDefault(labelThresholdsSpec) + "'), not both");
        }
        Map<String, Float> perLabel = new LinkedHashMap<>();
        if (isSet(labelThresholdsSpec)) {
            perLabel.putAll(GlinerConf.labelThresholds(getOrDefault(labelThresholdsSpec)));
        } else {
            getOrDefault(labelThresholds).forEach((label, value) -> perLabel.put(label, value.floatValue()));
        }
        Map<String, String> settings = Map.of(
                GlinerConf.LONG_TEXT, getOrDefault(longText),
                GlinerConf.TOKEN_SCORE, getOrDefault(tokenScore));
        return GlinerConf.extractionOptions(settings, ExtractionOptions.defaults())
                .withThreshold(((Double) getOrDefault(threshold)).floatValue())
                .withLabelThresholds(perLabel)
                .withFlatNer((Boolean) getOrDefault(flatNer))
                .withMultiLabel((Boolean) getOrDefault(multiLabel))
                .withWindowOverlap((Integer) getOrDefault(windowOverlap));
    }

    // ---- Transformer ----

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> in = textColumns();
        List<String> out = entityColumns();
        if (in.size() != out.size()) {
            throw new IllegalArgumentException("gliner: " + in.size() + " input columns " + in + " but " + out.size()
                    + " output columns " + out);
        }
        Set<String> existing = new HashSet<>(Arrays.asList(schema.fieldNames()));
        for (String column : in) {
            requireColumn(schema, existing, column, "text column", DataTypes.StringType);
        }
        if (isDefined(labels) == isDefined(labelsCol)) {
            throw new IllegalArgumentException("gliner: set exactly one of labels (one list for all rows) and labelsCol"
                    + " (an array<string> column)");
        }
        if (isDefined(labels) && getOrDefault(labels).length == 0) {
            throw new IllegalArgumentException("gliner: labels is empty");
        }
        if (isDefined(labelsCol)) {
            requireColumn(schema, existing, getOrDefault(labelsCol), "labels column",
                    DataTypes.createArrayType(DataTypes.StringType));
        }
        StructType result = schema;
        List<String> added = new ArrayList<>(out);
        if (isDefined(errorCol)) {
            added.add(getOrDefault(errorCol));
        }
        for (String column : added) {
            if (!existing.add(column)) {
                throw new IllegalArgumentException("gliner: output column '" + column + "' already exists");
            }
        }
        for (String column : out) {
            result = result.add(column, EntitySchema.ENTITIES, true);
        }
        if (isDefined(errorCol)) {
            result = result.add(getOrDefault(errorCol), DataTypes.StringType, true);
        }
        return result;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType inputSchema = dataset.schema();
        StructType outputSchema = transformSchema(inputSchema);
        List<String> in = textColumns();
        int[] textIndexes = in.stream().mapToInt(inputSchema::fieldIndex).toArray();
        int labelsIndex = isDefined(labelsCol) ? inputSchema.fieldIndex(getOrDefault(labelsCol)) : -1;
        ExtractionOptions decoding = extractionOptions();
        ExecutorModel executorModel = ExecutorModel.prepare(dataset.sparkSession(), modelOptions());
        Broadcast<List<String>> sharedLabels = null;
        if (isDefined(labels)) {
            // One list for every row is configuration: reject it here, before any task runs or anything is written.
            try {
                executorModel.onDriver().checkLabels(Arrays.asList(getOrDefault(labels)));
            } catch (InvalidLabelsException e) {
                throw new IllegalArgumentException("labels: " + e.getMessage(), e);
            }
            sharedLabels = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                    .broadcast(List.of(getOrDefault(labels)));
        }
        DataFramePartitionFunction extractor = new DataFramePartitionFunction(executorModel, decoding, in, textIndexes,
                sharedLabels, labelsIndex, isDefined(errorCol), (Integer) getOrDefault(rowsPerBlock), metrics);
        return dataset.toDF().mapPartitions(extractor, Encoders.row(outputSchema));
    }

    @Override
    public GlinerTransformer copy(ParamMap extra) {
        GlinerTransformer copy = defaultCopy(extra);
        return copy.setMetrics(metrics);
    }

    /** Reader for {@code GlinerTransformer.read().load(path)} and for pipelines that contain this stage. */
    public static MLReader<GlinerTransformer> read() {
        return READABLE.read();
    }

    /** Loads a transformer saved with {@code write().save(path)}. */
    public static GlinerTransformer load(String path) {
        return READABLE.load(path);
    }

    private List<String> textColumns() {
        if (isDefined(inputCol) == isDefined(inputCols)) {
            throw new IllegalArgumentException("gliner: set exactly one of inputCol and inputCols");
        }
        return isDefined(inputCol) ? List.of(getOrDefault(inputCol)) : List.of(getOrDefault(inputCols));
    }

    private List<String> entityColumns() {
        if (isDefined(inputCols)) {
            if (!isDefined(outputCols)) {
                throw new IllegalArgumentException("gliner: inputCols needs outputCols (one entities column per text column)");
            }
            return List.of(getOrDefault(outputCols));
        }
        return List.of(getOrDefault(outputCol));
    }

    private static void requireColumn(StructType schema, Set<String> existing, String column, String role,
                                      DataType expected) {
        if (!existing.contains(column)) {
            throw new IllegalArgumentException("gliner: " + role + " '" + column + "' not found among "
                    + Arrays.toString(schema.fieldNames()));
        }
        DataType actual = schema.apply(column).dataType();
        boolean matches = expected instanceof ArrayType
                ? actual instanceof ArrayType array && array.elementType() instanceof StringType
                : actual instanceof StringType;
        if (!matches) {
            throw new IllegalArgumentException("gliner: " + role + " '" + column + "' must be " + expected.simpleString()
                    + ", got " + actual.simpleString());
        }
    }
}
