package io.glinerspark.decode;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class SpanDecoderTest {

    /** Logits of one row, all far below any threshold, with room to set single cells. */
    private static float[] quiet(int words, int widths, int labels) {
        float[] values = new float[words * widths * labels];
        java.util.Arrays.fill(values, -20f);
        return values;
    }

    private static void set(float[] values, int widths, int labels, int start, int width, int label, float logit) {
        values[(start * widths + width) * labels + label] = logit;
    }

    @Test
    void strictFloat32ComparisonAtTheBoundary() {
        float[] values = quiet(3, 2, 1);
        set(values, 2, 1, 0, 0, 0, 1e-8f); // float32 sigmoid rounds to exactly 0.5: rejected by p > 0.5
        set(values, 2, 1, 1, 0, 0, 2e-7f); // rounds above 0.5: accepted
        List<SpanCandidate> found = SpanDecoder.decode(new SpanLogits(values, 1, 3, 2, 1), 0, 3, new float[] {0.5f});
        assertEquals(List.of(new SpanCandidate(1, 1, 0, Probability.sigmoid(2e-7f))), found);
        assertTrue(Probability.sigmoid(1e-8f) == 0.5f);
    }

    /** A logit whose float32 sigmoid is exactly {@code p}. */
    static float logitWithProbability(float p) {
        float x = (float) Math.log(p / (1.0 - p));
        for (int step = 0; step < 1000; step++) {
            float y = Probability.sigmoid(x);
            if (y == p) {
                return x;
            }
            x = y < p ? Math.nextUp(x) : Math.nextDown(x);
        }
        throw new AssertionError("no float logit maps to " + p);
    }

    @Test
    void thresholdIsComparedAsFloat32() {
        // The probability float32(0.3) is above the decimal 0.3, so a double comparison would keep it; torch compares
        // in float32, where float32(0.3) > float32(0.3) is false.
        float[] values = quiet(1, 1, 1);
        set(values, 1, 1, 0, 0, 0, logitWithProbability(0.3f));
        assertTrue((double) 0.3f > 0.3);
        assertEquals(List.of(), SpanDecoder.decode(new SpanLogits(values, 1, 1, 1, 1), 0, 1, new float[] {0.3f}));
        set(values, 1, 1, 0, 0, 0, logitWithProbability(Math.nextUp(0.3f)));
        assertEquals(1, SpanDecoder.decode(new SpanLogits(values, 1, 1, 1, 1), 0, 1, new float[] {0.3f}).size());
    }

    @Test
    void enumeratesStartThenWidthThenLabelAndStopsAtTheText() {
        int words = 4;
        int widths = 3;
        int labels = 2;
        float[] values = new float[words * widths * labels];
        java.util.Arrays.fill(values, 5f); // every cell passes
        List<SpanCandidate> found = SpanDecoder.decode(new SpanLogits(values, 1, words, widths, labels), 0, 3,
                new float[] {0.5f, 0.5f});
        // 3 real words: starts 0..2, widths with s+k < 3, both labels
        assertEquals(List.of(
                new SpanCandidate(0, 0, 0, found.get(0).score()), new SpanCandidate(0, 0, 1, found.get(0).score()),
                new SpanCandidate(0, 1, 0, found.get(0).score()), new SpanCandidate(0, 1, 1, found.get(0).score()),
                new SpanCandidate(0, 2, 0, found.get(0).score()), new SpanCandidate(0, 2, 1, found.get(0).score()),
                new SpanCandidate(1, 1, 0, found.get(0).score()), new SpanCandidate(1, 1, 1, found.get(0).score()),
                new SpanCandidate(1, 2, 0, found.get(0).score()), new SpanCandidate(1, 2, 1, found.get(0).score()),
                new SpanCandidate(2, 2, 0, found.get(0).score()), new SpanCandidate(2, 2, 1, found.get(0).score())),
                found);
    }

    @Test
    void perLabelThresholdsApplyToTheirLabelOnly() {
        float[] values = quiet(1, 1, 2);
        set(values, 1, 2, 0, 0, 0, 1f); // p = 0.731
        set(values, 1, 2, 0, 0, 1, 1f);
        List<SpanCandidate> found = SpanDecoder.decode(new SpanLogits(values, 1, 1, 1, 2), 0, 1,
                new float[] {0.8f, 0.5f});
        assertEquals(1, found.size());
        assertEquals(1, found.get(0).labelIndex());
    }

    @Test
    void readsTheRequestedBatchRow() {
        float[] values = new float[2 * 2 * 1 * 1];
        java.util.Arrays.fill(values, -20f);
        values[3] = 3f; // row 1, start 1
        SpanLogits logits = new SpanLogits(values, 2, 2, 1, 1);
        assertEquals(List.of(), SpanDecoder.decode(logits, 0, 2, new float[] {0.5f}));
        assertEquals(1, SpanDecoder.decode(logits, 1, 2, new float[] {0.5f}).get(0).startWord());
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> new SpanLogits(new float[5], 1, 2, 2, 1));
        SpanLogits logits = new SpanLogits(new float[4], 1, 2, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> SpanDecoder.decode(logits, 0, 3, new float[] {0.5f}));
        assertThrows(IllegalArgumentException.class, () -> SpanDecoder.decode(logits, 0, 2, new float[] {0.5f, 0.5f}));
    }
}
