package io.glinerspark.encode;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The padded graph inputs of one batch of encoded texts (all with the same label prompt). Buffers are direct and
 * filled in place, so ONNX Runtime reads them without another copy. Close it to free the native tensors.
 */
public final class BatchTensors implements AutoCloseable {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String WORDS_MASK = "words_mask";
    public static final String TEXT_LENGTHS = "text_lengths";
    public static final String SPAN_IDX = "span_idx";
    public static final String SPAN_MASK = "span_mask";

    private final Map<String, OnnxTensor> inputs;
    private final int paddedWords;

    private BatchTensors(Map<String, OnnxTensor> inputs, int paddedWords) {
        this.inputs = inputs;
        this.paddedWords = paddedWords;
    }

    /**
     * The inputs a graph must declare, in order, with their element types: the four token inputs, and for span
     * models {@code span_idx} and the boolean {@code span_mask}; exactly the inputs {@link #build} fills.
     */
    public static Map<String, OnnxJavaType> inputTypes(boolean spans) {
        Map<String, OnnxJavaType> types = new LinkedHashMap<>();
        for (String name : List.of(INPUT_IDS, ATTENTION_MASK, WORDS_MASK, TEXT_LENGTHS)) {
            types.put(name, OnnxJavaType.INT64);
        }
        if (spans) {
            types.put(SPAN_IDX, OnnxJavaType.INT64);
            types.put(SPAN_MASK, OnnxJavaType.BOOL);
        }
        return Collections.unmodifiableMap(types);
    }

    /**
     * Pads a batch: token rows {@code [B, S]} to the longest row with {@code padId} (attention 0), text lengths
     * {@code [B, 1]} and, for span models, {@code span_idx [B, W*K, 2]} and boolean {@code span_mask [B, W*K]}
     * where W is the most words of any text. Row {@code s*K + k} holds span (s, s+k), masked out (and (0, 0))
     * when it reaches past its text; the graph reshapes the rows to [W, K], so there are always exactly W*K.
     *
     * @param maxWidth K, the model's span widths
     * @param spans    false for token-level models, whose graphs take only the first four inputs
     */
    public static BatchTensors build(OrtEnvironment environment, List<EncodedText> texts, int maxWidth, long padId,
                                     boolean spans) throws OrtException {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one text");
        }
        int batch = texts.size();
        int tokens = 0;
        int words = 0;
        for (EncodedText text : texts) {
            tokens = Math.max(tokens, text.length());
            words = Math.max(words, text.numWords());
        }
        if (words == 0) {
            throw new IllegalArgumentException("a batch must not consist of texts without words");
        }

        LongBuffer inputIds = longBuffer(batch * tokens);
        LongBuffer attentionMask = longBuffer(batch * tokens);
        LongBuffer wordsMask = longBuffer(batch * tokens);
        LongBuffer textLengths = longBuffer(batch);
        for (EncodedText text : texts) {
            long[] ids = text.inputIds();
            long[] mask = text.wordsMask();
            for (int i = 0; i < ids.length; i++) {
                inputIds.put(ids[i]);
                attentionMask.put(1L);
                wordsMask.put(mask[i]);
            }
            for (int i = ids.length; i < tokens; i++) {
                inputIds.put(padId);
                attentionMask.put(0L);
                wordsMask.put(0L);
            }
            textLengths.put(text.numWords());
        }

        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            long[] tokenShape = {batch, tokens};
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, inputIds.rewind(), tokenShape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, attentionMask.rewind(), tokenShape));
            inputs.put(WORDS_MASK, OnnxTensor.createTensor(environment, wordsMask.rewind(), tokenShape));
            inputs.put(TEXT_LENGTHS, OnnxTensor.createTensor(environment, textLengths.rewind(), new long[] {batch, 1}));
            if (spans) {
                addSpans(environment, texts, words, maxWidth, inputs);
            }
        } catch (OrtException | RuntimeException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw e;
        }
        return new BatchTensors(inputs, words);
    }

    private static void addSpans(OrtEnvironment environment, List<EncodedText> texts, int words, int maxWidth,
                                 Map<String, OnnxTensor> inputs) throws OrtException {
        int batch = texts.size();
        int rows = words * maxWidth;
        LongBuffer spanIdx = longBuffer(batch * rows * 2);
        ByteBuffer spanMask = ByteBuffer.allocateDirect(batch * rows).order(ByteOrder.nativeOrder());
        for (EncodedText text : texts) {
            int n = text.numWords();
            for (int start = 0; start < words; start++) {
                for (int width = 0; width < maxWidth; width++) {
                    boolean valid = start + width < n;
                    spanIdx.put(valid ? start : 0L);
                    spanIdx.put(valid ? start + width : 0L);
                    spanMask.put(valid ? (byte) 1 : (byte) 0);
                }
            }
        }
        inputs.put(SPAN_IDX, OnnxTensor.createTensor(environment, spanIdx.rewind(), new long[] {batch, rows, 2}));
        inputs.put(SPAN_MASK, OnnxTensor.createTensor(environment, spanMask.rewind(), new long[] {batch, rows},
                OnnxJavaType.BOOL));
    }

    private static LongBuffer longBuffer(int size) {
        return ByteBuffer.allocateDirect(size * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    /** The graph inputs by name (all six, or the first four for token-level models). */
    public Map<String, OnnxTensor> inputs() {
        return inputs;
    }

    /** W: the most words of any text in the batch. */
    public int paddedWords() {
        return paddedWords;
    }

    @Override
    public void close() {
        inputs.values().forEach(OnnxTensor::close);
    }
}
