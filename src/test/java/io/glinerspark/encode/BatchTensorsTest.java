package io.glinerspark.encode;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import io.glinerspark.runtime.OrtRuntime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@Tag("core")
class BatchTensorsTest {

    private static long[] longs(OnnxTensor tensor) {
        LongBuffer buffer = tensor.getLongBuffer();
        long[] values = new long[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static final EncodedText THREE_WORDS = new EncodedText(new long[] {101, 7, 8, 9, 10, 102},
            new long[] {0, 0, 1, 2, 3, 0}, 3);
    private static final EncodedText ONE_WORD = new EncodedText(new long[] {101, 7, 8, 102},
            new long[] {0, 0, 1, 0}, 1);

    @Test
    void padsTokenRowsAndWritesTextLengths() throws Exception {
        try (BatchTensors batch = BatchTensors.build(OrtRuntime.environment(), List.of(THREE_WORDS, ONE_WORD), 2, 0,
                true)) {
            assertEquals(3, batch.paddedWords());
            assertArrayEquals(new long[] {101, 7, 8, 9, 10, 102, 101, 7, 8, 102, 0, 0},
                    longs(batch.inputs().get(BatchTensors.INPUT_IDS)));
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
                    longs(batch.inputs().get(BatchTensors.ATTENTION_MASK)));
            assertArrayEquals(new long[] {0, 0, 1, 2, 3, 0, 0, 0, 1, 0, 0, 0},
                    longs(batch.inputs().get(BatchTensors.WORDS_MASK)));
            OnnxTensor lengths = batch.inputs().get(BatchTensors.TEXT_LENGTHS);
            assertArrayEquals(new long[] {2, 1}, lengths.getInfo().getShape());
            assertArrayEquals(new long[] {3, 1}, longs(lengths));
        }
    }

    @Test
    void spanRowsAreWordsTimesWidthWithBooleanMask() throws Exception {
        int k = 2;
        try (BatchTensors batch = BatchTensors.build(OrtRuntime.environment(), List.of(THREE_WORDS, ONE_WORD), k, 0,
                true)) {
            OnnxTensor spanIdx = batch.inputs().get(BatchTensors.SPAN_IDX);
            OnnxTensor spanMask = batch.inputs().get(BatchTensors.SPAN_MASK);
            assertArrayEquals(new long[] {2, 3 * k, 2}, spanIdx.getInfo().getShape());
            assertArrayEquals(new long[] {2, 3 * k}, spanMask.getInfo().getShape());
            assertEquals(OnnxJavaType.BOOL, spanMask.getInfo().type);
            assertArrayEquals(new long[] {
                    0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 0, 0, // text 0: (s, s+k), (0,0) past its 3 words
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // text 1: only (0,0) of width 1 is real
                    longs(spanIdx));
            ByteBuffer mask = spanMask.getByteBuffer();
            byte[] flags = new byte[mask.remaining()];
            mask.get(flags);
            assertArrayEquals(new byte[] {1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0}, flags);
        }
    }

    @Test
    void tokenLevelBatchesHaveOnlyTheFourTokenInputs() throws Exception {
        try (BatchTensors batch = BatchTensors.build(OrtRuntime.environment(), List.of(ONE_WORD), 12, 0, false)) {
            assertEquals(List.of(BatchTensors.INPUT_IDS, BatchTensors.ATTENTION_MASK, BatchTensors.WORDS_MASK,
                    BatchTensors.TEXT_LENGTHS), List.copyOf(batch.inputs().keySet()));
            assertFalse(batch.inputs().containsKey(BatchTensors.SPAN_MASK));
        }
    }

    @Test
    void declaredInputTypesAreTheBuiltTensorsTypes() throws Exception {
        for (boolean spans : new boolean[] {true, false}) {
            try (BatchTensors batch = BatchTensors.build(OrtRuntime.environment(), List.of(THREE_WORDS), 2, 0, spans)) {
                assertEquals(List.copyOf(BatchTensors.inputTypes(spans).keySet()),
                        List.copyOf(batch.inputs().keySet()));
                batch.inputs().forEach((name, tensor) ->
                        assertEquals(BatchTensors.inputTypes(spans).get(name), tensor.getInfo().type, name));
            }
        }
    }
}
