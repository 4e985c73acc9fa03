package io.glinerspark.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reference's greedy span selection: highest score first, a span is accepted unless it conflicts with one
 * already accepted, and the accepted spans come out ordered by start word.
 */
public final class GreedySelector {

    private static final Comparator<SpanCandidate> BY_SCORE_DESCENDING =
            (a, b) -> Float.compare(b.score(), a.score());
    private static final Comparator<SpanCandidate> BY_START = Comparator.comparingInt(SpanCandidate::startWord);

    private GreedySelector() {
    }

    /**
     * Selects non-conflicting spans. Both sorts are stable, so among equal scores (and equal starts) the input
     * order decides, as in the reference; callers pass candidates in decoder order.
     *
     * @param flatNer    true: any two accepted spans are disjoint; false: spans may nest but not partially overlap
     * @param multiLabel true: the same word range may be accepted under several labels
     */
    public static List<SpanCandidate> select(List<SpanCandidate> candidates, boolean flatNer, boolean multiLabel) {
        List<SpanCandidate> byScore = new ArrayList<>(candidates);
        byScore.sort(BY_SCORE_DESCENDING);
        List<SpanCandidate> accepted = new ArrayList<>();
        for (SpanCandidate candidate : byScore) {
            if (!conflictsWithAny(candidate, accepted, flatNer, multiLabel)) {
                accepted.add(candidate);
            }
        }
        accepted.sort(BY_START);
        return accepted;
    }

    private static boolean conflictsWithAny(SpanCandidate candidate, List<SpanCandidate> accepted, boolean flatNer,
                                            boolean multiLabel) {
        for (SpanCandidate other : accepted) {
            if (conflict(candidate, other, flatNer, multiLabel)) {
                return true;
            }
        }
        return false;
    }

    static boolean conflict(SpanCandidate a, SpanCandidate b, boolean flatNer, boolean multiLabel) {
        if (a.sameBoundaries(b)) {
            return !multiLabel;
        }
        if (!a.intersects(b)) {
            return false;
        }
        return flatNer || !a.nestedWith(b);
    }
}
