package io.glinerspark.decode;

import io.glinerspark.types.TokenScore;

import java.util.ArrayList;
import java.util.List;

/** Turns token-level logits into candidate spans (the reference's token decoder before the greedy). */
public final class TokenLevelDecoder {

    private TokenLevelDecoder() {
    }

    /**
     * Candidates of one batch row: every start (word, label) and end (word, label) above the label's threshold
     * pair up when the end is not before the start and the labels agree, unless an inside probability between
     * them is below the threshold. Starts are visited in row-major (word, label) order and ends the same way
     * inside, which is the reference's candidate order and decides score ties in the greedy selection.
     *
     * @param numWords   words of this row's text; the reference does not bound spans by it, but padded words
     *                   carry no text, so they are left out
     * @param thresholds per label index
     * @param scoring    {@code MIN}: min(inside..., start, end); {@code MEAN}: mean(inside)
     */
    public static List<SpanCandidate> decode(TokenLogits logits, int row, int numWords, float[] thresholds,
                                             TokenScore scoring) {
        SpanDecoder.checkRow(row, logits.batch(), numWords, logits.words(), thresholds.length, logits.labels());
        int labels = logits.labels();
        float[] start = probabilities(logits, TokenLogits.START, row, numWords);
        float[] end = probabilities(logits, TokenLogits.END, row, numWords);
        float[] inside = probabilities(logits, TokenLogits.INSIDE, row, numWords);
        double[] insideThresholds = insideThresholds(thresholds);

        List<Integer> starts = cellsAbove(start, thresholds, labels);
        List<Integer> ends = cellsAbove(end, thresholds, labels);
        List<SpanCandidate> candidates = new ArrayList<>();
        for (int startCell : starts) {
            int st = startCell / labels;
            int label = startCell % labels;
            for (int endCell : ends) {
                int ed = endCell / labels;
                if (ed < st || endCell % labels != label || !insideHolds(inside, st, ed, label, labels,
                        insideThresholds[label])) {
                    continue;
                }
                float score = scoring == TokenScore.MIN
                        ? minScore(inside, st, ed, label, labels, start[startCell], end[endCell])
                        : meanInside(inside, st, ed, label, labels);
                candidates.add(new SpanCandidate(st, ed, label, score));
            }
        }
        return candidates;
    }

    private static float[] probabilities(TokenLogits logits, int kind, int row, int numWords) {
        int labels = logits.labels();
        float[] p = new float[numWords * labels];
        for (int word = 0; word < numWords; word++) {
            for (int label = 0; label < labels; label++) {
                p[word * labels + label] = Probability.sigmoid(logits.get(kind, row, word, label));
            }
        }
        return p;
    }

    /**
     * The reference compares inside probabilities as Python floats (doubles) with the threshold the user typed. The
     * shortest decimal of the float threshold recovers that typed value (0.3f gives 0.3, not 0.30000001192...).
     */
    private static double[] insideThresholds(float[] thresholds) {
        double[] typed = new double[thresholds.length];
        for (int i = 0; i < thresholds.length; i++) {
            typed[i] = Double.parseDouble(Float.toString(thresholds[i]));
        }
        return typed;
    }

    /** Flat (word * labels + label) cells whose probability is strictly above the label's float32 threshold. */
    private static List<Integer> cellsAbove(float[] p, float[] thresholds, int labels) {
        List<Integer> cells = new ArrayList<>();
        for (int cell = 0; cell < p.length; cell++) {
            if (p[cell] > thresholds[cell % labels]) {
                cells.add(cell);
            }
        }
        return cells;
    }

    private static boolean insideHolds(float[] inside, int st, int ed, int label, int labels, double threshold) {
        for (int word = st; word <= ed; word++) {
            if (inside[word * labels + label] < threshold) {
                return false;
            }
        }
        return true;
    }

    private static float minScore(float[] inside, int st, int ed, int label, int labels, float start, float end) {
        float min = Math.min(start, end);
        for (int word = st; word <= ed; word++) {
            min = Math.min(min, inside[word * labels + label]);
        }
        return min;
    }

    private static float meanInside(float[] inside, int st, int ed, int label, int labels) {
        double sum = 0;
        for (int word = st; word <= ed; word++) {
            sum += inside[word * labels + label];
        }
        return (float) (sum / (ed - st + 1));
    }
}
