package io.glinerspark.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.glinerspark.ModelLoadException;
import io.glinerspark.bundle.GlinerConfig;
import io.glinerspark.decode.Logits;
import io.glinerspark.decode.SpanLogits;
import io.glinerspark.decode.TokenLogits;
import io.glinerspark.encode.BatchTensors;
import io.glinerspark.encode.EncodedText;
import io.glinerspark.encode.PromptEncoder;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session checked against the GLiNER ONNX contract: the inputs a span or token-level model takes, with their
 * element types, one float output, the span width baked into the graph and, for token-level models, the layout
 * of the start/end/inside axis. Runs padded batches and returns their logits.
 */
public final class GlinerGraph {

    private static final String LOGITS = "logits";
    private static final List<String> TOKEN_INPUTS = List.of(BatchTensors.INPUT_IDS, BatchTensors.ATTENTION_MASK,
            BatchTensors.WORDS_MASK, BatchTensors.TEXT_LENGTHS);
    private static final List<String> SPAN_INPUTS = List.of(BatchTensors.INPUT_IDS, BatchTensors.ATTENTION_MASK,
            BatchTensors.WORDS_MASK, BatchTensors.TEXT_LENGTHS, BatchTensors.SPAN_IDX, BatchTensors.SPAN_MASK);
    private static final Set<OnnxJavaType> FLOAT_OUTPUTS =
            Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16, OnnxJavaType.BFLOAT16);
    /** Probe batch: one text of two words and one label, sizes at which the two token layouts differ. */
    private static final List<String> PROBE_WORDS = List.of("probe", "text");
    private static final List<String> PROBE_LABELS = List.of("entity");

    private final InferenceSession session;
    private final boolean tokenLevel;
    private final int maxWidth;
    private final long padId;
    private final String output;
    private final TokenLogits.Layout layout;

    private GlinerGraph(InferenceSession session, boolean tokenLevel, int maxWidth, long padId, String output,
                        TokenLogits.Layout layout) {
        this.session = session;
        this.tokenLevel = tokenLevel;
        this.maxWidth = maxWidth;
        this.padId = padId;
        this.output = output;
        this.layout = layout;
    }

    /**
     * Checks the session's signature and probes it with a one-text batch.
     *
     * @throws ModelLoadException naming the input, output or config setting the graph disagrees with
     */
    public static GlinerGraph open(InferenceSession session, GlinerConfig config, PromptEncoder encoder) {
        String model = session.spec().modelFile().toString();
        boolean tokenLevel = config.tokenLevel();
        String output;
        try {
            checkInputs(session.inputs(), tokenLevel ? TOKEN_INPUTS : SPAN_INPUTS, tokenLevel, model);
            output = chooseOutput(session.outputs(), model);
        } catch (OrtException e) {
            throw new ModelLoadException("cannot read the signature of " + model + ": " + e.getMessage(), e);
        }
        long padId = encoder.tokenizer().padId();
        GlinerGraph unprobed = new GlinerGraph(session, tokenLevel, config.maxWidth(), padId, output, null);
        long[] shape = unprobed.probeShape(encoder, config);
        if (tokenLevel) {
            try {
                TokenLogits.Layout layout = TokenLogits.Layout.detect(shape, PROBE_WORDS.size(), PROBE_LABELS.size());
                return new GlinerGraph(session, true, config.maxWidth(), padId, output, layout);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(model + ": " + e.getMessage(), e);
            }
        }
        long[] expected = {1, PROBE_WORDS.size(), config.maxWidth(), PROBE_LABELS.size()};
        if (!Arrays.equals(shape, expected)) {
            throw new ModelLoadException(model + ": a probe batch of 1 text, 2 words and 1 label gave logits of shape "
                    + Arrays.toString(shape) + ", expected [1, 2, max_width=" + config.maxWidth() + ", 1]"
                    + " (max_width in gliner_config.json must be the export's)");
        }
        return unprobed;
    }

    private static void checkInputs(Map<String, NodeInfo> declared, List<String> required, boolean tokenLevel,
                                    String model) {
        String kind = tokenLevel ? "token-level" : "span";
        for (String name : required) {
            if (!declared.containsKey(name)) {
                throw new ModelLoadException(model + " has no input '" + name + "' that a " + kind + " GLiNER model "
                        + "takes (graph inputs: " + declared.keySet() + ")");
            }
            OnnxJavaType expected = name.equals(BatchTensors.SPAN_MASK) ? OnnxJavaType.BOOL : OnnxJavaType.INT64;
            OnnxJavaType actual = declared.get(name).getInfo() instanceof TensorInfo tensor ? tensor.type : null;
            if (actual != expected) {
                throw new ModelLoadException(model + ": input '" + name + "' is declared " + actual + ", but GLiNER "
                        + "exports take " + expected + (expected == OnnxJavaType.BOOL ? " (re-export the model with "
                        + "a boolean span_mask)" : ""));
            }
        }
        for (String name : declared.keySet()) {
            if (!required.contains(name)) {
                throw new ModelLoadException(model + " has an input '" + name + "' that a " + kind + " GLiNER model "
                        + "does not take (expected exactly " + required + "; is span_mode in gliner_config.json "
                        + "right?)");
            }
        }
    }

    private static String chooseOutput(Map<String, NodeInfo> outputs, String model) {
        String name = outputs.containsKey(LOGITS) ? LOGITS : outputs.size() == 1 ? outputs.keySet().iterator().next()
                : null;
        if (name == null) {
            throw new ModelLoadException(model + " has no output named 'logits' among " + outputs.keySet());
        }
        OnnxJavaType type = outputs.get(name).getInfo() instanceof TensorInfo tensor ? tensor.type : null;
        if (!FLOAT_OUTPUTS.contains(type)) {
            throw new ModelLoadException(model + ": output '" + name + "' is " + type
                    + ", expected float32, float16 or bfloat16 logits");
        }
        return name;
    }

    private long[] probeShape(PromptEncoder encoder, GlinerConfig config) {
        EncodedText probe = encoder.encode(PROBE_LABELS, PROBE_WORDS);
        try (BatchTensors tensors = BatchTensors.build(OrtRuntime.environment(), List.of(probe), maxWidth, padId,
                !tokenLevel);
             InferenceSession.TimedResult result = session.run(tensors.inputs(), output)) {
            return tensorOf(result).getInfo().getShape();
        } catch (OrtException | RuntimeException e) {
            String hint = tokenLevel ? "" : " built with max_width=" + config.maxWidth()
                    + " from gliner_config.json (max_width must be the export's)";
            throw new ModelLoadException(session.spec().modelFile() + " rejected a probe batch" + hint + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs one padded batch.
     *
     * @param texts  encoded texts that share one label prompt
     * @param labels the number of labels in that prompt
     */
    public Output run(List<EncodedText> texts, int labels) throws OrtException {
        try (BatchTensors tensors = BatchTensors.build(OrtRuntime.environment(), texts, maxWidth, padId, !tokenLevel);
             InferenceSession.TimedResult result = session.run(tensors.inputs(), output)) {
            OnnxTensor logits = tensorOf(result);
            long[] shape = logits.getInfo().getShape();
            int batch = texts.size();
            int words = tensors.paddedWords();
            long[] expected = !tokenLevel ? new long[] {batch, words, maxWidth, labels}
                    : layout == TokenLogits.Layout.SCORES_FIRST ? new long[] {3, batch, words, labels}
                    : new long[] {batch, words, labels, 3};
            if (!Arrays.equals(shape, expected)) {
                throw new IllegalStateException("the graph returned logits of shape " + Arrays.toString(shape)
                        + " for " + batch + " texts, " + words + " words and " + labels + " labels; expected "
                        + Arrays.toString(expected));
            }
            float[] values = floats(logits);
            Logits decoded = tokenLevel ? new TokenLogits(values, layout, batch, words, labels)
                    : new SpanLogits(values, batch, words, maxWidth, labels);
            return new Output(decoded, result.nanos());
        }
    }

    private static OnnxTensor tensorOf(InferenceSession.TimedResult result) {
        OnnxValue value = result.result().get(0);
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("the graph's output is a " + value.getType() + ", not a tensor");
        }
        return tensor;
    }

    /** float32 values of float32, float16 or bfloat16 logits (ONNX Runtime widens the half types). */
    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** The session underneath. */
    public InferenceSession session() {
        return session;
    }

    /**
     * Logits of one batch and the time spent inside the graph.
     *
     * @param logits   decodable row by row
     * @param ortNanos nanoseconds inside {@code OrtSession.run}
     */
    public record Output(Logits logits, long ortNanos) {
    }
}
