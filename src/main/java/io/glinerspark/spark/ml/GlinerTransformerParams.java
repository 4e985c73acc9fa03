// Generated from the settings registry (io.glinerspark.settings.Settings) by
// `jobs/gliner.sh transformer-params`; edit the registry, not this file.
package io.glinerspark.spark.ml;

import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.Settings;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of {@link GlinerTransformer} that are settings of the registry: each has the setting's
 * name, doc, validation and default.
 *
 * @param <T> the transformer, which the setters return
 */
public abstract class GlinerTransformerParams<T extends GlinerTransformerParams<T>> extends Transformer {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> model;
    private final Param<String> onnxFile;
    private final Param<String> device;
    private final BooleanParam requireDevice;
    private final IntParam intraOpThreads;
    private final IntParam batchWords;
    private final IntParam batchTokens;
    private final IntParam rowsPerBlock;
    private final DoubleParam threshold;
    private final LabelThresholdsParam labelThresholds;
    private final BooleanParam flatNer;
    private final BooleanParam multiLabel;
    private final Param<String> tokenScore;
    private final Param<String> longText;
    private final IntParam windowOverlap;
    private final Param<String> inputCol;
    private final StringArrayParam inputCols;
    private final Param<String> outputCol;
    private final StringArrayParam outputCols;
    private final Param<String> labelsCol;
    private final Param<String> errorCol;

    /** Creates the parameters; the subclass calls {@link #setSettingDefaults()} once it has made its own. */
    protected GlinerTransformerParams(String uid) {
        this.uid = uid;
        model = SettingParams.text(this, Settings.MODEL);
        onnxFile = SettingParams.text(this, Settings.ONNX_FILE);
        device = SettingParams.text(this, Settings.DEVICE);
        requireDevice = SettingParams.bool(this, Settings.REQUIRE_DEVICE);
        intraOpThreads = SettingParams.integer(this, Settings.INTRA_OP_THREADS);
        batchWords = SettingParams.integer(this, Settings.BATCH_WORDS);
        batchTokens = SettingParams.integer(this, Settings.BATCH_TOKENS);
        rowsPerBlock = SettingParams.integer(this, Settings.ROWS_PER_BLOCK);
        threshold = SettingParams.number(this, Settings.THRESHOLD);
        labelThresholds = SettingParams.labelThresholds(this, Settings.LABEL_THRESHOLDS);
        flatNer = SettingParams.bool(this, Settings.FLAT_NER);
        multiLabel = SettingParams.bool(this, Settings.MULTI_LABEL);
        tokenScore = SettingParams.text(this, Settings.TOKEN_SCORE);
        longText = SettingParams.text(this, Settings.LONG_TEXT);
        windowOverlap = SettingParams.integer(this, Settings.WINDOW_OVERLAP);
        inputCol = SettingParams.text(this, Settings.INPUT_COL);
        inputCols = SettingParams.list(this, Settings.INPUT_COLS);
        outputCol = SettingParams.text(this, Settings.OUTPUT_COL);
        outputCols = SettingParams.list(this, Settings.OUTPUT_COLS);
        labelsCol = SettingParams.text(this, Settings.LABELS_COL);
        errorCol = SettingParams.text(this, Settings.ERROR_COL);
    }

    /**
     * Gives each parameter its setting's default. Spark ML finds parameters through every accessor, the
     * subclass's too, so this may run only once all of them are made.
     */
    protected final void setSettingDefaults() {
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            if (setting.defaultValue() != null) {
                setDefault(param(setting), SettingParams.paramValue(setting, setting.defaultValue()));
            }
        }
    }

    @Override
    public final String uid() {
        return uid;
    }

    /** The parameter of {@code setting}, which the transformer reads. */
    @SuppressWarnings("unchecked")
    protected final Param<Object> param(Setting<?> setting) {
        return (Param<Object>) getParam(setting.name());
    }

    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    // ---- parameters (public no-argument accessors: Spark ML finds parameters through them) ----

    /** Model: a folder on the driver, a Hadoop URI, hf://owner/name[@revision], or default (the model bundled in the jar). */
    public Param<String> model() {
        return model;
    }

    /** ONNX file in the bundle (root or onnx/) for every device; auto: model.gpu.onnx on CUDA if present, else model.onnx. */
    public Param<String> onnxFile() {
        return onnxFile;
    }

    /** Auto (the task's GPU when Spark assigned one, else CPU), cpu, cuda or cuda:N. */
    public Param<String> device() {
        return device;
    }

    /** Fail instead of falling back to CPU when the device cannot be used. */
    public BooleanParam requireDevice() {
        return requireDevice;
    }

    /** ONNX Runtime threads per model (0 = runtime default). */
    public IntParam intraOpThreads() {
        return intraOpThreads;
    }

    /** Batch budget: padded words x max span width (0 = sized for the device the model runs on: 24576 on CPU, 196608 on CUDA). */
    public IntParam batchWords() {
        return batchWords;
    }

    /** Batch budget: padded sub-tokens (0 = sized for the device: 8192 on CPU, 65536 on CUDA). */
    public IntParam batchTokens() {
        return batchTokens;
    }

    /** Rows a task reads before extracting them (bounds task memory). */
    public IntParam rowsPerBlock() {
        return rowsPerBlock;
    }

    /** Keep spans with probability &gt; threshold (strict, float32), in [0, 1); in SQL the third argument. */
    public DoubleParam threshold() {
        return threshold;
    }

    /** Per-label thresholds label=value,label=value that replace threshold for their labels. */
    public LabelThresholdsParam labelThresholds() {
        return labelThresholds;
    }

    /** True: entities never overlap; false: nested entities allowed. */
    public BooleanParam flatNer() {
        return flatNer;
    }

    /** Whether one span may carry several labels. */
    public BooleanParam multiLabel() {
        return multiLabel;
    }

    /** Score of token-level models: min or mean (mean: gliner &lt;= 0.2.16). */
    public Param<String> tokenScore() {
        return tokenScore;
    }

    /** Texts longer than the model window: chunk (overlapping windows), truncate or fail. */
    public Param<String> longText() {
        return longText;
    }

    /** Words shared by neighbouring windows of a chunked text. */
    public IntParam windowOverlap() {
        return windowOverlap;
    }

    /** Text column (string). */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** Text columns (string); use instead of inputCol. */
    public StringArrayParam inputCols() {
        return inputCols;
    }

    /** Entities column for inputCol. */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** Entities columns, one per inputCols entry. */
    public StringArrayParam outputCols() {
        return outputCols;
    }

    /** Array&lt;string&gt; column with each row's labels; use instead of labels. */
    public Param<String> labelsCol() {
        return labelsCol;
    }

    /** When set, a row that cannot be extracted gets NULL entities and its error message in this column; when unset, such a row fails the job. */
    public Param<String> errorCol() {
        return errorCol;
    }

    // ---- setters ----

    public T setModel(String value) {
        set(model, value);
        return self();
    }

    public T setOnnxFile(String value) {
        set(onnxFile, value);
        return self();
    }

    public T setDevice(String value) {
        set(device, value);
        return self();
    }

    public T setRequireDevice(boolean value) {
        set(requireDevice, value);
        return self();
    }

    public T setIntraOpThreads(int value) {
        set(intraOpThreads, value);
        return self();
    }

    public T setBatchWords(int value) {
        set(batchWords, value);
        return self();
    }

    public T setBatchTokens(int value) {
        set(batchTokens, value);
        return self();
    }

    public T setRowsPerBlock(int value) {
        set(rowsPerBlock, value);
        return self();
    }

    public T setThreshold(double value) {
        set(threshold, value);
        return self();
    }

    public T setLabelThresholds(Map<String, Double> value) {
        set(labelThresholds, new LinkedHashMap<>(value));
        return self();
    }

    public T setFlatNer(boolean value) {
        set(flatNer, value);
        return self();
    }

    public T setMultiLabel(boolean value) {
        set(multiLabel, value);
        return self();
    }

    public T setTokenScore(String value) {
        set(tokenScore, value);
        return self();
    }

    public T setLongText(String value) {
        set(longText, value);
        return self();
    }

    public T setWindowOverlap(int value) {
        set(windowOverlap, value);
        return self();
    }

    public T setInputCol(String value) {
        set(inputCol, value);
        return self();
    }

    public T setInputCols(String... value) {
        set(inputCols, value);
        return self();
    }

    public T setOutputCol(String value) {
        set(outputCol, value);
        return self();
    }

    public T setOutputCols(String... value) {
        set(outputCols, value);
        return self();
    }

    public T setLabelsCol(String value) {
        set(labelsCol, value);
        return self();
    }

    public T setErrorCol(String value) {
        set(errorCol, value);
        return self();
    }
}
