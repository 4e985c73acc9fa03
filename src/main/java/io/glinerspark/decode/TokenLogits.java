package io.glinerspark.decode;

import io.glinerspark.types.TokenScore;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The output of a token-level model: start, end and inside logits per word and label, held flat in the layout
 * the graph produced.
 */
public record TokenLogits(float[] values, Layout layout, int batch, int words, int labels) implements Logits {

    /** Where the start/end/inside axis sits; exports changed it in gliner 0.2.21 without changing the metadata. */
    public enum Layout {
        /** {@code [3, B, W, C]}: exports made with gliner up to 0.2.20. */
        SCORES_FIRST,
        /** {@code [B, W, C, 3]}: exports made with gliner 0.2.21 and later. */
        SCORES_LAST;

        /**
         * The layout of an output of {@code shape} produced by a probe batch of one text of {@code words} words and
         * {@code labels} labels; pick {@code words != 3} and {@code labels != 3} so the two layouts cannot look alike.
         *
         * @throws IllegalArgumentException when the shape fits neither layout
         */
        public static Layout detect(long[] shape, int words, int labels) {
            if (Arrays.equals(shape, new long[] {3, 1, words, labels})) {
                return SCORES_FIRST;
            }
            if (Arrays.equals(shape, new long[] {1, words, labels, 3})) {
                return SCORES_LAST;
            }
            throw new IllegalArgumentException("token-level logits of shape " + Arrays.toString(shape)
                    + " for 1 text, " + words + " words and " + labels + " labels match neither [3, B, W, C] nor"
                    + " [B, W, C, 3]");
        }
    }

    static final int START = 0;
    static final int END = 1;
    static final int INSIDE = 2;

    public TokenLogits {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(layout, "layout");
        if (3L * batch * words * labels != values.length) {
            throw new IllegalArgumentException("token-level logits for " + batch + " texts, " + words + " words and "
                    + labels + " labels need " + 3L * batch * words * labels + " values, got " + values.length);
        }
    }

    /**
     * The logits of a batch as the graph returned them, checked against the shape the batch must give in
     * {@code layout}.
     *
     * @throws IllegalStateException when {@code shape} is not the batch's
     */
    public static TokenLogits of(float[] values, long[] shape, Layout layout, int batch, int words, int labels) {
        long[] expected = layout == Layout.SCORES_FIRST ? new long[] {3, batch, words, labels}
                : new long[] {batch, words, labels, 3};
        LogitsShape.check(shape, expected, batch, words, labels);
        return new TokenLogits(values, layout, batch, words, labels);
    }

    @Override
    public List<SpanCandidate> decode(int row, int numWords, float[] thresholds, TokenScore scoring) {
        return TokenLevelDecoder.decode(this, row, numWords, thresholds, scoring);
    }

    float get(int kind, int row, int word, int label) {
        if (layout == Layout.SCORES_FIRST) {
            return values[((kind * batch + row) * words + word) * labels + label];
        }
        return values[((row * words + word) * labels + label) * 3 + kind];
    }
}
