package io.glinerspark.spark.ml;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.ModelSourcePolicy;
import io.glinerspark.spark.task.ExtractionMetrics;
import io.glinerspark.spark.task.JobModel;
import io.glinerspark.spark.task.TaskDevice;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
 *
 * <p>{@code labelDescriptions} (a JSON object of label to description, or a map with
 * {@link #setLabelDescriptions(Map)}) puts a label's description into the prompt in its place, for the shared list and
 * for every row's list alike; the entities keep the label.
 */
public final class GlinerTransformer extends GlinerTransformerParams<GlinerTransformer>
        implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final DefaultParamsReadable<GlinerTransformer> READABLE = new DefaultParamsReadable<>() {
    };

    private final StringArrayParam labels;
    private final Param<String> labelThresholdsSpec;

    private transient ExtractionMetrics metrics;
    private transient JobModel preparedModel;

    public GlinerTransformer() {
        this(Identifiable.randomUID("gliner"));
    }

    /** Used by {@link #copy} and by the pipeline reader. */
    public GlinerTransformer(String uid) {
        super(uid);
        labels = new StringArrayParam(this, "labels", "entity labels for every row, in plain words");
        labelThresholdsSpec = new Param<>(this, "labelThresholdsSpec",
                "per-label thresholds as 'label=threshold,...', the form Python and Spark Connect clients can send; "
                        + "use instead of labelThresholds");
        setSettingDefaults();
    }

    // ---- parameters that are not settings of the registry (the others: GlinerTransformerParams) ----

    public StringArrayParam labels() {
        return labels;
    }

    public Param<String> labelThresholdsSpec() {
        return labelThresholdsSpec;
    }

    public GlinerTransformer setLabels(String... value) {
        set(labels, value);
        return this;
    }

    /**
     * Label to description, in the order given: the prompt carries a label's description in its place and entities
     * keep the label. Held as the JSON text of {@link #setLabelDescriptions(String)}.
     */
    public GlinerTransformer setLabelDescriptions(Map<String, String> value) {
        return setLabelDescriptions(Settings.LABEL_DESCRIPTIONS.format(new LinkedHashMap<>(value)));
    }

    /** The labels every row is extracted with ({@code labels} and {@code labelDescriptions}), or null with labelsCol. */
    public LabelSet labelSet() {
        return isDefined(labels) ? LabelSet.of(Arrays.asList(getOrDefault(labels)), getSetting(Settings.LABEL_DESCRIPTIONS))
                : null;
    }

    /** Per-label thresholds as {@code label=threshold,...}; use instead of {@link #setLabelThresholds(Map)}. */
    public GlinerTransformer setLabelThresholdsSpec(String value) {
        set(labelThresholdsSpec, value);
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
                set(param(setting), SettingParams.paramValue(setting, settings.get(setting)));
            }
        }
        return this;
    }

    /** The value of {@code setting}'s parameter (or its default), typed as the registry types the setting. */
    @SuppressWarnings("unchecked")
    public <V> V getSetting(Setting<V> setting) {
        Param<Object> param = param(setting);
        return isDefined(param) ? (V) SettingParams.settingValue(setting, getOrDefault(param)) : null;
    }

    /** Counters to update while this transformer's output is computed (not saved with the pipeline). */
    public GlinerTransformer setMetrics(ExtractionMetrics value) {
        this.metrics = value;
        return this;
    }

    /**
     * A model the caller prepared already ({@link JobModel#prepare}) for this transformer's model options: every
     * {@link #transform} then uses it instead of resolving, fingerprinting and shipping the model again, so that a job
     * that checks its model on the driver, and a stream that transforms each micro-batch, prepare it once. Ignored
     * by a transform whose model options differ from the prepared model's (the parameters changed since); not saved
     * with the pipeline.
     */
    public GlinerTransformer usePreparedModel(JobModel model) {
        this.preparedModel = model;
        return this;
    }

    /**
     * The prepared model a transform of {@code spark} uses: the one given when it fits, else a new one.
     *
     * @throws IllegalArgumentException when the application does not allow this model to the caller
     *                                  ({@link ModelSourcePolicy}), before anything of it is read
     */
    JobModel jobModel(SparkSession spark) {
        ModelOptions options = modelOptions();
        ModelSourcePolicy.check(spark.sparkContext(), options);
        return preparedModel != null && preparedModel.options().equals(options) ? preparedModel
                : JobModel.prepare(spark, options);
    }

    // ---- settings as core options ----

    /** The model options these parameters describe (device possibly {@code auto}, see {@link TaskDevice}). */
    public ModelOptions modelOptions() {
        return ModelOptions.of(this::getSetting);
    }

    /** The decoding options these parameters describe. */
    public ExtractionOptions extractionOptions() {
        if (isSet(labelThresholds()) && isSet(labelThresholdsSpec)) {
            throw new IllegalArgumentException("gliner: set one of labelThresholds (a map) and labelThresholdsSpec ('"
                    + getOrDefault(labelThresholdsSpec) + "'), not both");
        }
        Map<String, Float> perLabel = isSet(labelThresholdsSpec)
                ? Settings.LABEL_THRESHOLDS.parse(getOrDefault(labelThresholdsSpec), Spelling.PARAM)
                : getSetting(Settings.LABEL_THRESHOLDS);
        return ExtractionOptions.of(setting -> setting == Settings.LABEL_THRESHOLDS ? perLabel : getSetting(setting),
                null);
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
        if (isDefined(labels) == isDefined(labelsCol())) {
            throw new IllegalArgumentException("gliner: set exactly one of labels (one list for all rows) and labelsCol"
                    + " (an array<string> column)");
        }
        if (isDefined(labels) && getOrDefault(labels).length == 0) {
            throw new IllegalArgumentException("gliner: labels is empty");
        }
        if (isDefined(labelsCol())) {
            requireColumn(schema, existing, getOrDefault(labelsCol()), "labels column",
                    DataTypes.createArrayType(DataTypes.StringType));
        }
        StructType result = schema;
        List<String> added = new ArrayList<>(out);
        if (isDefined(errorCol())) {
            added.add(getOrDefault(errorCol()));
        }
        for (String column : added) {
            if (!existing.add(column)) {
                throw new IllegalArgumentException("gliner: output column '" + column + "' already exists");
            }
        }
        for (String column : out) {
            result = result.add(column, EntitySchema.ENTITIES, true);
        }
        if (isDefined(errorCol())) {
            result = result.add(getOrDefault(errorCol()), DataTypes.StringType, true);
        }
        return result;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType inputSchema = dataset.schema();
        StructType outputSchema = transformSchema(inputSchema);
        List<String> in = textColumns();
        int[] textIndexes = in.stream().mapToInt(inputSchema::fieldIndex).toArray();
        int labelsIndex = isDefined(labelsCol()) ? inputSchema.fieldIndex(getOrDefault(labelsCol())) : -1;
        ExtractionOptions decoding = extractionOptions();
        JobModel jobModel = jobModel(dataset.sparkSession());
        Broadcast<LabelSet> sharedLabels = null;
        LabelSet labelSet = labelSet();
        if (labelSet != null) {
            // One list for every row is configuration: reject it here, before any task runs or anything is written.
            // A bi-encoder encodes it here too, once for the job, and its executors take the vectors.
            try (GlinerModel onDriver = jobModel.onDriver()) {
                jobModel = jobModel.withLabelVectors(dataset.sparkSession(), onDriver.labelVectors(labelSet));
            } catch (InvalidLabelsException e) {
                throw new IllegalArgumentException("labels: " + e.getMessage(), e);
            }
            sharedLabels = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                    .broadcast(labelSet);
        }
        DataFramePartitionFunction extractor = new DataFramePartitionFunction(jobModel, decoding, in, textIndexes,
                sharedLabels, labelsIndex, getSetting(Settings.LABEL_DESCRIPTIONS), isDefined(errorCol()),
                getSetting(Settings.ROWS_PER_BLOCK), metrics);
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
        if (isDefined(inputCol()) == isDefined(inputCols())) {
            throw new IllegalArgumentException("gliner: set exactly one of inputCol and inputCols");
        }
        return isDefined(inputCol()) ? List.of(getOrDefault(inputCol())) : List.of(getOrDefault(inputCols()));
    }

    private List<String> entityColumns() {
        if (isDefined(inputCols())) {
            if (!isDefined(outputCols())) {
                throw new IllegalArgumentException("gliner: inputCols needs outputCols (one entities column per text column)");
            }
            return List.of(getOrDefault(outputCols()));
        }
        return List.of(getOrDefault(outputCol()));
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
