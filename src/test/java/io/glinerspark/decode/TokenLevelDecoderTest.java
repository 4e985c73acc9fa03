package io.glinerspark.decode;

import io.glinerspark.types.TokenScore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class TokenLevelDecoderTest {

    private static final float LOW = -10f;

    /** start/end/inside logits per word of one text with one label, laid out as the given layout. */
    private static TokenLogits logits(TokenLogits.Layout layout, float[] start, float[] end, float[] inside) {
        int words = start.length;
        float[] values = new float[3 * words];
        float[][] kinds = {start, end, inside};
        for (int kind = 0; kind < 3; kind++) {
            for (int word = 0; word < words; word++) {
                int index = layout == TokenLogits.Layout.SCORES_FIRST ? kind * words + word : word * 3 + kind;
                values[index] = kinds[kind][word];
            }
        }
        return new TokenLogits(values, layout, 1, words, 1);
    }

    private static float logit(double p) {
        return (float) Math.log(p / (1 - p));
    }

    @Test
    void bothLayoutsDecodeTheSameSpans() {
        float[] start = {2f, LOW, LOW, 3f};
        float[] end = {LOW, 2.5f, LOW, 3f};
        float[] inside = {2f, 2f, LOW, 3f};
        for (TokenLogits.Layout layout : TokenLogits.Layout.values()) {
            List<SpanCandidate> found = TokenLevelDecoder.decode(logits(layout, start, end, inside), 0, 4,
                    new float[] {0.5f}, TokenScore.MIN);
            assertEquals(List.of(0, 3), found.stream().map(SpanCandidate::startWord).toList(), layout.name());
            assertEquals(List.of(1, 3), found.stream().map(SpanCandidate::endWord).toList(), layout.name());
        }
    }

    @Test
    void minAndMeanScores() {
        float[] start = {logit(0.9), LOW};
        float[] end = {LOW, logit(0.6)};
        float[] inside = {logit(0.8), logit(0.7)};
        TokenLogits tl = logits(TokenLogits.Layout.SCORES_LAST, start, end, inside);
        SpanCandidate min = TokenLevelDecoder.decode(tl, 0, 2, new float[] {0.5f}, TokenScore.MIN).get(0);
        SpanCandidate mean = TokenLevelDecoder.decode(tl, 0, 2, new float[] {0.5f}, TokenScore.MEAN).get(0);
        assertEquals(0.6f, min.score(), 1e-6f);
        assertEquals(0.75f, mean.score(), 1e-6f);
    }

    @Test
    void insideBelowThresholdDropsTheSpanButEqualKeepsIt() {
        // Inside probability of word 1 exactly at a threshold that is representable: sigmoid(0) = 0.5.
        float[] start = {3f, LOW, LOW};
        float[] end = {LOW, LOW, 3f};
        float[] insideEqual = {3f, 0f, 3f};
        float[] insideBelow = {3f, -1e-3f, 3f};
        assertEquals(1, TokenLevelDecoder.decode(logits(TokenLogits.Layout.SCORES_FIRST, start, end, insideEqual), 0, 3,
                new float[] {0.5f}, TokenScore.MIN).size());
        assertEquals(0, TokenLevelDecoder.decode(logits(TokenLogits.Layout.SCORES_FIRST, start, end, insideBelow), 0, 3,
                new float[] {0.5f}, TokenScore.MIN).size());
    }

    @Test
    void insideCheckUsesTheTypedDecimalThreshold() {
        // float32(0.7) is below the decimal 0.7: an inside probability equal to float32(0.7) is below the typed
        // threshold (the reference compares Python floats), although not below float32(0.7).
        assertTrue((double) 0.7f < 0.7);
        float[] start = {3f, LOW};
        float[] end = {LOW, 3f};
        float[] inside = {3f, SpanDecoderTest.logitWithProbability(0.7f)};
        assertEquals(List.of(), TokenLevelDecoder.decode(logits(TokenLogits.Layout.SCORES_LAST, start, end, inside),
                0, 2, new float[] {0.7f}, TokenScore.MIN));
        inside[1] = SpanDecoderTest.logitWithProbability(Math.nextUp(0.7f));
        assertEquals(1, TokenLevelDecoder.decode(logits(TokenLogits.Layout.SCORES_LAST, start, end, inside),
                0, 2, new float[] {0.7f}, TokenScore.MIN).size());
    }

    @Test
    void candidateOrderIsStartCellsThenEndCellsRowMajor() {
        // Two labels; word 0 starts both, words 1 and 2 end both.
        int words = 3;
        int labels = 2;
        float[] values = new float[3 * words * labels];
        java.util.Arrays.fill(values, 4f); // SCORES_LAST: every start, end, inside passes
        for (int word = 1; word < words; word++) {
            for (int label = 0; label < labels; label++) {
                values[((word) * labels + label) * 3 + TokenLogits.START] = LOW;
            }
        }
        values[(0 * labels + 0) * 3 + TokenLogits.END] = LOW;
        values[(0 * labels + 1) * 3 + TokenLogits.END] = LOW;
        List<SpanCandidate> found = TokenLevelDecoder.decode(
                new TokenLogits(values, TokenLogits.Layout.SCORES_LAST, 1, words, labels), 0, words,
                new float[] {0.5f, 0.5f}, TokenScore.MIN);
        List<String> order = found.stream()
                .map(c -> c.startWord() + "-" + c.endWord() + ":" + c.labelIndex()).toList();
        assertEquals(List.of("0-1:0", "0-2:0", "0-1:1", "0-2:1"), order);
    }

    @Test
    void paddedWordsAreIgnored() {
        float[] start = {3f, LOW, LOW};
        float[] end = {LOW, LOW, 3f}; // only the padded word 2 ends a span
        float[] inside = {3f, 3f, 3f};
        assertEquals(0, TokenLevelDecoder.decode(logits(TokenLogits.Layout.SCORES_FIRST, start, end, inside), 0, 2,
                new float[] {0.5f}, TokenScore.MIN).size());
    }

    @Test
    void layoutDetection() {
        assertEquals(TokenLogits.Layout.SCORES_FIRST, TokenLogits.Layout.detect(new long[] {3, 1, 2, 1}, 2, 1));
        assertEquals(TokenLogits.Layout.SCORES_LAST, TokenLogits.Layout.detect(new long[] {1, 2, 1, 3}, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> TokenLogits.Layout.detect(new long[] {1, 2, 12, 1}, 2, 1));
    }
}
