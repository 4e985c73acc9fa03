package io.glinerspark.spark.ml;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.InvalidLabelsException;
import io.glinerspark.ModelOptions;
import io.glinerspark.spark.EntitySchema;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
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
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
    private transient ExecutorModel preparedModel;

    public GlinerTransformer() {
        this(Identifiable.randomUID("gliner"));
    }

    /** Used by {@link #copy} and by the pipeline reader. */
    public GlinerTransformer(String uid) {
        this.uid = uid;
        inputCol = SettingParams.text(this, Settings.INPUT_COL);
        inputCols = SettingParams.list(this, Settings.INPUT_COLS);
        outputCol = SettingParams.text(this, Settings.OUTPUT_COL);
        outputCols = SettingParams.list(this, Settings.OUTPUT_COLS);
        labels = new StringArrayParam(this, "labels", "entity labels for every row, in plain words");
        labelsCol = SettingParams.text(this, Settings.LABELS_COL);
        errorCol = SettingParams.text(this, Settings.ERROR_COL);
        threshold = SettingParams.number(this, Settings.THRESHOLD);
        labelThresholds = SettingParams.labelThresholds(this, Settings.LABEL_THRESHOLDS);
        labelThresholdsSpec = new Param<>(this, "labelThresholdsSpec",
                "per-label thresholds as 'label=threshold,...', the form Python and Spark Connect clients can send; "
                        + "use instead of labelThresholds");
        flatNer = SettingParams.bool(this, Settings.FLAT_NER);
        multiLabel = SettingParams.bool(this, Settings.MULTI_LABEL);
        longText = SettingParams.text(this, Settings.LONG_TEXT);
        windowOverlap = SettingParams.integer(this, Settings.WINDOW_OVERLAP);
        tokenScore = SettingParams.text(this, Settings.TOKEN_SCORE);
        model = SettingParams.text(this, Settings.MODEL);
        onnxFile = SettingParams.text(this, Settings.ONNX_FILE);
        device = SettingParams.text(this, Settings.DEVICE);
        requireDevice = SettingParams.bool(this, Settings.REQUIRE_DEVICE);
        batchWords = SettingParams.integer(this, Settings.BATCH_WORDS);
        batchTokens = SettingParams.integer(this, Settings.BATCH_TOKENS);
        intraOpThreads = SettingParams.integer(this, Settings.INTRA_OP_THREADS);
        rowsPerBlock = SettingParams.integer(this, Settings.ROWS_PER_BLOCK);
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            if (setting.defaultValue() != null) {
                setDefault(param(setting), SettingParams.paramValue(setting.defaultValue()));
            }
        }
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
        set(device, value);
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

    /**
     * Sets the parameter of every setting in {@code settings} that this transformer reads (its columns, the
     * decoding settings, the model and its placement); others are ignored. One path for every front end that
     * holds settings as text (the job, the benchmark).
     *
     * @throws IllegalArgumentException naming a setting whose value is bad, as {@code settings} spells it
     */
    public GlinerTransformer setSettings(SettingValues settings) {
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            if (settings.isGiven(setting)) {
                set(param(setting), SettingParams.paramValue(settings.get(setting)));
            }
        }
        return this;
    }

    /** The parameter of {@code setting}, which this transformer reads. */
    @SuppressWarnings("unchecked")
    private Param<Object> param(Setting<?> setting) {
        return (Param<Object>) getParam(setting.name());
    }

    /** Counters to update while this transformer's output is computed (not saved with the pipeline). */
    public GlinerTransformer setMetrics(ExtractionMetrics value) {
        this.metrics = value;
        return this;
    }

    /**
     * A model the caller prepared already ({@link ExecutorModel#prepare}) for this transformer's model options: every
     * {@link #transform} then uses it instead of resolving, fingerprinting and shipping the model again, so that a job
     * that checks its model on the driver, and a stream that transforms each micro-batch, prepare it once. Ignored
     * by a transform whose model options differ from the prepared model's (the parameters changed since); not saved
     * with the pipeline.
     */
    public GlinerTransformer usePreparedModel(ExecutorModel model) {
        this.preparedModel = model;
        return this;
    }

    /** The prepared model a transform of {@code spark} uses: the one given when it fits, else a new one. */
    ExecutorModel executorModel(SparkSession spark) {
        ModelOptions options = modelOptions();
        return preparedModel != null && preparedModel.options().equals(options) ? preparedModel
                : ExecutorModel.prepare(spark, options);
    }

    // ---- settings as core options ----

    /** The model options these parameters describe (device possibly {@code auto}, see {@link TaskDevice}). */
    public ModelOptions modelOptions() {
        return new ModelOptions(getOrDefault(model), getOrDefault(onnxFile), getOrDefault(device),
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
            perLabel.putAll(Settings.LABEL_THRESHOLDS.parse(getOrDefault(labelThresholdsSpec), Spelling.PARAM));
        } else if (isDefined(labelThresholds)) {
            getOrDefault(labelThresholds).forEach((label, value) -> perLabel.put(label, value.floatValue()));
        }
        Map<String, String> choices = Map.of(
                Settings.LONG_TEXT.name(), getOrDefault(longText),
                Settings.TOKEN_SCORE.name(), getOrDefault(tokenScore));
        return SettingValues.of(choices, Spelling.PARAM).extractionOptions()
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
        ExecutorModel executorModel = executorModel(dataset.sparkSession());
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
        return copy.setMetrics(metrics).usePreparedModel(preparedModel);
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
