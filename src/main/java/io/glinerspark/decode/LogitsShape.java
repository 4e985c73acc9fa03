package io.glinerspark.decode;

import java.util.Arrays;

/** The check that a graph answered a batch with the shape the batch must give. */
final class LogitsShape {

    private LogitsShape() {
    }

    /** @throws IllegalStateException when {@code shape} is not {@code expected} */
    static void check(long[] shape, long[] expected, int batch, int words, int labels) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalStateException("the graph returned logits of shape " + Arrays.toString(shape)
                    + " for " + batch + " texts, " + words + " words and " + labels + " labels; expected "
                    + Arrays.toString(expected));
        }
    }
}
