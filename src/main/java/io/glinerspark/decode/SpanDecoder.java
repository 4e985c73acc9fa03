package io.glinerspark.decode;

import java.util.ArrayList;
import java.util.List;

/** Turns span-model logits into threshold-passing candidates (the reference's span decoder before the greedy). */
public final class SpanDecoder {

    private SpanDecoder() {
    }

    /**
     * Candidates of one batch row in the reference's enumeration order: start word, then width, then label. Order
     * matters because the greedy selection breaks score ties by it.
     *
     * @param logits     the batch's logits
     * @param row        the batch row to decode
     * @param numWords   words of this row's text; spans reaching past it are padding
     * @param thresholds per label index; a span is kept when its float32 probability is strictly above its label's
     *                   threshold, which is applied here so that it acts before the greedy selection
     */
    public static List<SpanCandidate> decode(SpanLogits logits, int row, int numWords, float[] thresholds) {
        checkRow(row, logits.batch(), numWords, logits.words(), thresholds.length, logits.labels());
        int widths = logits.widths();
        int labels = logits.labels();
        List<SpanCandidate> candidates = new ArrayList<>();
        for (int start = 0; start < numWords; start++) {
            int widthsInText = Math.min(widths, numWords - start);
            for (int width = 0; width < widthsInText; width++) {
                for (int label = 0; label < labels; label++) {
                    float p = Probability.sigmoid(logits.get(row, start, width, label));
                    if (p > thresholds[label]) {
                        candidates.add(new SpanCandidate(start, start + width, label, p));
                    }
                }
            }
        }
        return candidates;
    }

    static void checkRow(int row, int batch, int numWords, int paddedWords, int thresholdCount, int labels) {
        if (row < 0 || row >= batch) {
            throw new IllegalArgumentException("row " + row + " outside a batch of " + batch);
        }
        if (numWords < 0 || numWords > paddedWords) {
            throw new IllegalArgumentException(numWords + " words do not fit the logits' " + paddedWords + " word slots");
        }
        if (thresholdCount != labels) {
            throw new IllegalArgumentException(thresholdCount + " thresholds for " + labels + " labels");
        }
    }
}
