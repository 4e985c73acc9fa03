package io.glinerspark.eval;

import java.io.Serializable;

/**
 * Gold, predicted and correct span counts, and the precision, recall and F1 they give. Undefined ratios (nothing
 * predicted, nothing gold) are 0, as in the reference evaluation.
 *
 * @param gold      distinct gold spans
 * @param predicted distinct predicted spans
 * @param correct   predicted spans equal to a gold span in label, first word and last word
 */
public record MatchCounts(long gold, long predicted, long correct) implements Serializable {

    /** No spans at all. */
    public static final MatchCounts ZERO = new MatchCounts(0, 0, 0);

    public MatchCounts {
        if (gold < 0 || predicted < 0 || correct < 0 || correct > gold || correct > predicted) {
            throw new IllegalArgumentException("inconsistent counts: gold " + gold + ", predicted " + predicted
                    + ", correct " + correct);
        }
    }

    public MatchCounts plus(MatchCounts other) {
        return new MatchCounts(gold + other.gold, predicted + other.predicted, correct + other.correct);
    }

    public double precision() {
        return predicted == 0 ? 0.0 : (double) correct / predicted;
    }

    public double recall() {
        return gold == 0 ? 0.0 : (double) correct / gold;
    }

    /** Harmonic mean of precision and recall, computed from them as the reference does (0 when both are 0). */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0.0 ? 0.0 : 2 * p * r / (p + r);
    }
}
