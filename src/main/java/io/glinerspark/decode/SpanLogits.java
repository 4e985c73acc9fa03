package io.glinerspark.decode;

import io.glinerspark.types.TokenScore;

import java.util.List;
import java.util.Objects;

/**
 * The output of a span model, {@code logits[b, s, k, c]} of shape [batch, words, widths, labels], held flat in
 * row-major order.
 */
public record SpanLogits(float[] values, int batch, int words, int widths, int labels) implements Logits {

    public SpanLogits {
        Objects.requireNonNull(values, "values");
        if ((long) batch * words * widths * labels != values.length) {
            throw new IllegalArgumentException("span logits of shape [" + batch + ", " + words + ", " + widths + ", "
                    + labels + "] need " + (long) batch * words * widths * labels + " values, got " + values.length);
        }
    }

    /**
     * The logits of a batch as the graph returned them, checked against the shape the batch must give.
     *
     * @throws IllegalStateException when {@code shape} is not {@code [batch, words, widths, labels]}
     */
    public static SpanLogits of(float[] values, long[] shape, int batch, int words, int widths, int labels) {
        LogitsShape.check(shape, new long[] {batch, words, widths, labels}, batch, words, labels);
        return new SpanLogits(values, batch, words, widths, labels);
    }

    @Override
    public List<SpanCandidate> decode(int row, int numWords, float[] thresholds, TokenScore scoring) {
        return SpanDecoder.decode(this, row, numWords, thresholds);
    }

    float get(int row, int start, int width, int label) {
        return values[((row * words + start) * widths + width) * labels + label];
    }
}
