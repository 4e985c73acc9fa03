package io.glinerspark.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.glinerspark.types.ModelLoadException;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session whose signature was checked against the inputs a GLiNER graph takes (a span or token-level model, or a
 * bi-encoder's label encoder) and that has one float output. Runs tensors it is given and returns the raw output;
 * building the inputs and reading the logits belong to the encoder and decoder.
 */
public final class GlinerGraph {

    private static final String LOGITS = "logits";
    private static final Set<OnnxJavaType> FLOAT_OUTPUTS =
            Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16, OnnxJavaType.BFLOAT16);

    private final InferenceSession session;
    private final String output;

    private GlinerGraph(InferenceSession session, String output) {
        this.session = session;
        this.output = output;
    }

    /**
     * Checks that the session declares exactly {@code inputs} with their element types and a float output.
     *
     * @param inputs the inputs the model must take, by name, with their element types
     * @param kind   what the graph must be, for errors, e.g. "a span GLiNER model" or "a GLiNER label encoder"
     * @throws ModelLoadException naming the input or output the graph disagrees with
     */
    public static GlinerGraph open(InferenceSession session, Map<String, OnnxJavaType> inputs, String kind) {
        String model = session.modelFile().toString();
        try {
            checkInputs(session.inputs(), inputs, kind, model);
            return new GlinerGraph(session, chooseOutput(session.outputs(), model));
        } catch (OrtException e) {
            throw new ModelLoadException("cannot read the signature of " + model + ": " + e.getMessage(), e);
        }
    }

    private static void checkInputs(Map<String, NodeInfo> declared, Map<String, OnnxJavaType> required,
                                    String kind, String model) {
        for (Map.Entry<String, OnnxJavaType> input : required.entrySet()) {
            String name = input.getKey();
            if (!declared.containsKey(name)) {
                throw new ModelLoadException(model + " has no input '" + name + "' that " + kind + " takes (graph "
                        + "inputs: " + declared.keySet() + ")");
            }
            OnnxJavaType expected = input.getValue();
            OnnxJavaType actual = declared.get(name).getInfo() instanceof TensorInfo tensor ? tensor.type : null;
            if (actual != expected) {
                throw new ModelLoadException(model + ": input '" + name + "' is declared " + actual + ", but GLiNER "
                        + "exports take " + expected + (expected == OnnxJavaType.BOOL ? " (re-export the model with "
                        + "a boolean " + name + ")" : ""));
            }
        }
        for (String name : declared.keySet()) {
            if (!required.containsKey(name)) {
                throw new ModelLoadException(model + " has an input '" + name + "' that " + kind + " does not "
                        + "take (expected exactly " + List.copyOf(required.keySet()) + "; do span_mode and "
                        + "labels_encoder in gliner_config.json describe this graph?)");
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

    /**
     * Runs the graph once on {@code inputs} (which stay the caller's to close).
     *
     * @throws IllegalStateException when the output is not a tensor
     */
    public Output run(Map<String, OnnxTensor> inputs) throws OrtException {
        try (InferenceSession.TimedResult result = session.run(inputs, output)) {
            OnnxValue value = result.result().get(0);
            if (!(value instanceof OnnxTensor tensor)) {
                throw new IllegalStateException("the graph's output is a " + value.getType() + ", not a tensor");
            }
            return new Output(floats(tensor), tensor.getInfo().getShape(), result.nanos());
        }
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
     * The output of one run.
     *
     * @param values   the logits, flat in row-major order
     * @param shape    their shape as the graph reported it
     * @param ortNanos nanoseconds inside {@code OrtSession.run}
     */
    public record Output(float[] values, long[] shape, long ortNanos) {
    }
}
