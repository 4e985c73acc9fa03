package io.glinerspark.decode;

import io.glinerspark.ExtractionOptions.TokenScore;

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

    @Override
    public List<SpanCandidate> decode(int row, int numWords, float[] thresholds, TokenScore scoring) {
        return SpanDecoder.decode(this, row, numWords, thresholds);
    }

    float get(int row, int start, int width, int label) {
        return values[((row * words + start) * widths + width) * labels + label];
    }
}
