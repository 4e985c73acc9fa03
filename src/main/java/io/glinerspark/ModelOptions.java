package io.glinerspark;

import io.glinerspark.settings.SettingValues;
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
 *                        up at the bundle root and under {@code onnx/}
 * @param device          {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}; a process that runs the model
 *                        itself resolves {@code auto} and {@code cuda} with {@link DeviceSetting#resolve(String)}
 * @param requireDevice   true: fail when the device cannot be used; false: log and fall back to CPU
 * @param intraOpThreads  ONNX Runtime intra-op threads (0 = runtime default)
 * @param batchWords      batch budget: padded words x max_width span rows per batch (0 = sized for the device the
 *                        session gets: {@link #CPU_BATCH_WORDS} or {@link #CUDA_BATCH_WORDS})
 * @param batchTokens     batch budget: padded sub-tokens per batch (0 = sized for the device:
 *                        {@link #CPU_BATCH_TOKENS} or {@link #CUDA_BATCH_TOKENS})
 */
public record ModelOptions(String source, String onnxFile, DeviceSetting device, boolean requireDevice,
                           int intraOpThreads, int batchWords, int batchTokens) implements Serializable {

    /** The source name of the model bundled in the jar. */
    public static final String DEFAULT_SOURCE = ModelSources.DEFAULT_SOURCE;

    /** Span rows per batch on a CPU: activations of a few hundred MB for a base-size encoder. */
    public static final int CPU_BATCH_WORDS = 24_576;
    /** Sub-tokens per batch on a CPU. */
    public static final int CPU_BATCH_TOKENS = 8_192;
    /** Span rows per batch on a GPU: 8x the CPU budget, a few GB of activations, for GPUs of 16 GB and more. */
    public static final int CUDA_BATCH_WORDS = 196_608;
    /** Sub-tokens per batch on a GPU. */
    public static final int CUDA_BATCH_TOKENS = 65_536;

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
        return SettingValues.of(Map.of(), Spelling.PARAM).modelOptions();
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
        return withBatchBudget(batchWords > 0 ? batchWords : cuda ? CUDA_BATCH_WORDS : CPU_BATCH_WORDS,
                batchTokens > 0 ? batchTokens : cuda ? CUDA_BATCH_TOKENS : CPU_BATCH_TOKENS);
    }
}
