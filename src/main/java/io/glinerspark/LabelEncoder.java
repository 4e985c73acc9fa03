package io.glinerspark;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.glinerspark.encode.GlinerTokenizer;
import io.glinerspark.runtime.GlinerGraph;
import io.glinerspark.runtime.InferenceSession;
import io.glinerspark.runtime.OrtRuntime;
import io.glinerspark.types.InferenceException;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.ModelLoadException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bi-encoder's label side: each label (or its description) is tokenized as one sentence by the label encoder's own
 * tokenizer and run through the label encoder graph, which pools it into one vector; the text graph then scores every
 * span against those vectors. A label's vector depends on that label alone, so it is computed once and kept: the
 * {@value #CACHED_LABELS} most recently used vectors stay in memory, shared by every call on this model (in Spark, by
 * every task of an executor JVM), and a list of thousands of labels costs its encoding once.
 */
final class LabelEncoder implements AutoCloseable {

    /** Vectors kept: a few tens of megabytes at the widths label encoders have (384 to 1,024 floats). */
    static final int CACHED_LABELS = 16_384;
    /** Labels per run of the label graph. */
    private static final int LABEL_BATCH = 64;
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";

    private final GlinerTokenizer tokenizer;
    private final GlinerGraph graph;
    private final int positionLimit;
    private final int specialTokens;
    private final long padId;
    private final Map<String, float[]> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHED_LABELS;
        }
    };

    private LabelEncoder(GlinerTokenizer tokenizer, GlinerGraph graph, int positionLimit) {
        this.tokenizer = tokenizer;
        this.graph = graph;
        this.positionLimit = positionLimit;
        this.specialTokens = tokenizer.specialTokenCount();
        this.padId = tokenizer.padId();
    }

    /**
     * Checks the label graph's signature ({@code input_ids} and {@code attention_mask}, one float output).
     *
     * @param positionLimit most sub-tokens of one label, specials included
     * @throws ModelLoadException naming the input or output the graph disagrees with
     */
    static LabelEncoder open(GlinerTokenizer tokenizer, InferenceSession session, int positionLimit) {
        Map<String, OnnxJavaType> inputs = new LinkedHashMap<>();
        inputs.put(INPUT_IDS, OnnxJavaType.INT64);
        inputs.put(ATTENTION_MASK, OnnxJavaType.INT64);
        return new LabelEncoder(tokenizer, GlinerGraph.open(session, inputs, "a GLiNER label encoder"), positionLimit);
    }

    /**
     * One vector per label, in the order given.
     *
     * @param prompts what each label is encoded as (its description, else itself)
     * @param names   the labels, for messages
     * @param stats   counts the labels encoded (those without a kept vector)
     * @throws InvalidLabelsException when a label yields no sub-token or more than the label encoder's positions
     * @throws InferenceException     when the label graph fails
     */
    float[][] embed(List<String> prompts, List<String> names, ExtractionStats stats) {
        float[][] vectors = new float[prompts.size()][];
        List<Integer> missing = new ArrayList<>();
        synchronized (cache) {
            for (int c = 0; c < vectors.length; c++) {
                vectors[c] = cache.get(prompts.get(c));
                if (vectors[c] == null) {
                    missing.add(c);
                }
            }
        }
        List<long[]> ids = new ArrayList<>(missing.size());
        for (int c : missing) {
            ids.add(tokenized(prompts.get(c), names.get(c)));
        }
        for (int from = 0; from < missing.size(); from += LABEL_BATCH) {
            int to = Math.min(missing.size(), from + LABEL_BATCH);
            float[][] batch = run(ids.subList(from, to));
            for (int i = from; i < to; i++) {
                vectors[missing.get(i)] = batch[i - from];
            }
        }
        synchronized (cache) {
            for (int c : missing) {
                cache.put(prompts.get(c), vectors[c]);
            }
        }
        stats.addLabelsEncoded(missing.size());
        return vectors;
    }

    /** Keeps vectors made elsewhere by the same model; a vector already kept stays as it is. */
    void keep(Map<String, float[]> vectors) {
        synchronized (cache) {
            vectors.forEach(cache::putIfAbsent);
        }
    }

    private long[] tokenized(String prompt, String name) {
        long[] ids = tokenizer.encodeText(prompt);
        String label = InvalidLabelsException.labelNamed(name, prompt);
        if (prompt.isBlank() || ids.length <= specialTokens) {
            throw new InvalidLabelsException(label + " yields no sub-token; labels must contain visible text");
        }
        if (ids.length > positionLimit) {
            throw new InvalidLabelsException(label + " takes " + ids.length + " sub-tokens, more than the "
                    + positionLimit + " positions of the model's label encoder");
        }
        return ids;
    }

    /** Runs one padded batch of tokenized labels: rows padded to the longest, masked out where padded. */
    private float[][] run(List<long[]> labels) {
        int rows = labels.size();
        int longest = 0;
        for (long[] label : labels) {
            longest = Math.max(longest, label.length);
        }
        LongBuffer ids = longBuffer(rows * longest);
        LongBuffer mask = longBuffer(rows * longest);
        for (long[] label : labels) {
            for (int i = 0; i < longest; i++) {
                ids.put(i < label.length ? label[i] : padId);
                mask.put(i < label.length ? 1L : 0L);
            }
        }
        long[] shape = {rows, longest};
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(OrtRuntime.environment(), ids.rewind(), shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(OrtRuntime.environment(), mask.rewind(), shape));
            GlinerGraph.Output output = graph.run(inputs);
            long[] outShape = output.shape();
            if (outShape.length != 2 || outShape[0] != rows) {
                throw new IllegalStateException("the label encoder gave shape " + Arrays.toString(outShape)
                        + " for " + rows + " labels, expected [" + rows + ", width]");
            }
            int width = (int) outShape[1];
            float[][] vectors = new float[rows][width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(output.values(), r * width, vectors[r], 0, width);
            }
            return vectors;
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException("the label encoder failed on " + rows + " labels (up to " + longest
                    + " sub-tokens): " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The {@code [labels, width]} tensor of vectors a text graph takes; the caller closes it. */
    static OnnxTensor tensor(float[][] vectors) throws OrtException {
        int width = vectors[0].length;
        FloatBuffer values = ByteBuffer.allocateDirect(vectors.length * width * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (float[] vector : vectors) {
            values.put(vector);
        }
        return OnnxTensor.createTensor(OrtRuntime.environment(), values.rewind(), new long[] {vectors.length, width});
    }

    private static LongBuffer longBuffer(int size) {
        return ByteBuffer.allocateDirect(size * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    /** The session underneath. */
    InferenceSession session() {
        return graph.session();
    }

    /** Closes the label tokenizer; the session is the model's to release. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
