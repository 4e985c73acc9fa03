package io.glinerspark;

import io.glinerspark.settings.DeviceSetting;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.source.ModelSources;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * Where a model comes from and how it runs. Two equal options share one ONNX Runtime session per JVM.
 *
 * @param source          a local folder, a Hadoop FileSystem URI ({@code hdfs://}, {@code s3a://}, {@code file:/} ...),
 *                        a Hugging Face id {@code hf://owner/name[@revision]}, or {@code "default"} for the bundled model
 * @param onnxFile        ONNX file name inside the bundle ({@code model.onnx}, {@code model_quantized.onnx}, ...), looked
 *                        up at the bundle root and under {@code onnx/}, used on every device; or {@code auto}: the
 *                        bundle's graph for the device the session gets ({@link io.glinerspark.source.BundleGraphs})
 * @param device          {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}; a process that runs the model
 *                        itself resolves {@code auto} and {@code cuda} with {@link DeviceSetting#resolve(String)}
 * @param requireDevice   true: fail when the device cannot be used; false: log and fall back to CPU
 * @param intraOpThreads  ONNX Runtime intra-op threads (0 = runtime default)
 * @param batchWords      batch budget: padded words x max_width span rows per batch (0 = sized for the device the
 *                        session gets: {@link Settings#CPU_BATCH_WORDS} or {@link Settings#CUDA_BATCH_WORDS})
 * @param batchTokens     batch budget: padded sub-tokens per batch (0 = sized for the device:
 *                        {@link Settings#CPU_BATCH_TOKENS} or {@link Settings#CUDA_BATCH_TOKENS})
 */
public record ModelOptions(String source, String onnxFile, DeviceSetting device, boolean requireDevice,
                           int intraOpThreads, int batchWords, int batchTokens) implements Serializable {

    /** The source name of the model bundled in the jar. */
    public static final String DEFAULT_SOURCE = ModelSources.DEFAULT_SOURCE;


    public ModelOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(onnxFile, "onnxFile");
        Objects.requireNonNull(device, "device");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("thread count must be >= 0");
        }
        if (batchWords < 0 || batchTokens < 0) {
            throw new IllegalArgumentException("batch budgets must be > 0, or 0 for the device's default");
        }
    }

    /** The defaults of the settings registry: the bundled model, device {@code auto}, budgets sized per device. */
    public static ModelOptions defaults() {
        return from(SettingValues.of(Map.of(), Spelling.PARAM));
    }

    /**
     * The model and its placement as {@code values} give them. The device may be {@code auto} or {@code cuda}, which
     * only a scheduler that assigns GPUs can resolve; see {@link #localFrom(SettingValues)} for a process that runs
     * the model itself.
     */
    public static ModelOptions from(SettingValues values) {
        return of(values::get);
    }

    /**
     * The model and its placement from typed setting values, wherever a front end keeps them (a map of given
     * settings, a Transformer's parameters): the one place that lists which settings make up these options.
     */
    public static ModelOptions of(SettingLookup values) {
        return new ModelOptions(values.get(Settings.MODEL), values.get(Settings.ONNX_FILE), values.get(Settings.DEVICE),
                values.get(Settings.REQUIRE_DEVICE), values.get(Settings.INTRA_OP_THREADS),
                values.get(Settings.BATCH_WORDS), values.get(Settings.BATCH_TOKENS));
    }

    /** A setting's typed value, as a front end holds it. */
    @FunctionalInterface
    public interface SettingLookup {
        <V> V get(Setting<V> setting);
    }

    /** {@link #from(SettingValues)} for a process without a GPU scheduler: {@code auto} is the CPU there. */
    public static ModelOptions localFrom(SettingValues values) {
        ModelOptions options = from(values);
        return options.device().target() == DeviceSetting.Target.AUTO
                ? options.withDevice(DeviceSetting.CPU, options.requireDevice()) : options;
    }

    public ModelOptions withSource(String value) {
        return new ModelOptions(value, onnxFile, device, requireDevice, intraOpThreads, batchWords, batchTokens);
    }

    public ModelOptions withOnnxFile(String value) {
        return new ModelOptions(source, value, device, requireDevice, intraOpThreads, batchWords, batchTokens);
    }

    public ModelOptions withDevice(DeviceSetting value, boolean require) {
        return new ModelOptions(source, onnxFile, value, require, intraOpThreads, batchWords, batchTokens);
    }

    public ModelOptions withIntraOpThreads(int value) {
        return new ModelOptions(source, onnxFile, device, requireDevice, value, batchWords, batchTokens);
    }

    public ModelOptions withBatchBudget(int words, int tokens) {
        return new ModelOptions(source, onnxFile, device, requireDevice, intraOpThreads, words, tokens);
    }

    /**
     * These options with each budget left at 0 replaced by the default of the device the session actually runs on
     * (a GPU request that fell back to the CPU gets the CPU budget).
     */
    public ModelOptions withBudgetsFor(boolean cuda) {
        return withBatchBudget(batchWords > 0 ? batchWords : cuda ? Settings.CUDA_BATCH_WORDS : Settings.CPU_BATCH_WORDS,
                batchTokens > 0 ? batchTokens : cuda ? Settings.CUDA_BATCH_TOKENS : Settings.CPU_BATCH_TOKENS);
    }
}
