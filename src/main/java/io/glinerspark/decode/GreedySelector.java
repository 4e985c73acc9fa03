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
        AcceptedByWord accepted = new AcceptedByWord(lastWord(candidates));
        List<SpanCandidate> selected = new ArrayList<>();
        for (SpanCandidate candidate : byScore) {
            if (!accepted.conflictsWith(candidate, flatNer, multiLabel)) {
                accepted.add(candidate);
                selected.add(candidate);
            }
        }
        selected.sort(BY_START);
        return selected;
    }

    private static int lastWord(List<SpanCandidate> candidates) {
        int last = -1;
        for (SpanCandidate candidate : candidates) {
            last = Math.max(last, candidate.endWord());
        }
        return last;
    }

    /**
     * Accepted spans listed under every word they cover. Only spans sharing a word can conflict, so a candidate is
     * checked against the spans on its own words rather than against every accepted span: same result as the
     * reference's scan, but linear in the document instead of quadratic (a chunked document has many thousands).
     */
    private static final class AcceptedByWord {
        private final List<List<SpanCandidate>> byWord;

        AcceptedByWord(int lastWord) {
            byWord = new ArrayList<>(lastWord + 1);
            for (int word = 0; word <= lastWord; word++) {
                byWord.add(null);
            }
        }

        boolean conflictsWith(SpanCandidate candidate, boolean flatNer, boolean multiLabel) {
            for (int word = candidate.startWord(); word <= candidate.endWord(); word++) {
                List<SpanCandidate> covering = byWord.get(word);
                if (covering == null) {
                    continue;
                }
                for (SpanCandidate other : covering) {
                    if (conflict(candidate, other, flatNer, multiLabel)) {
                        return true;
                    }
                }
            }
            return false;
        }

        void add(SpanCandidate span) {
            for (int word = span.startWord(); word <= span.endWord(); word++) {
                List<SpanCandidate> covering = byWord.get(word);
                if (covering == null) {
                    covering = new ArrayList<>(2);
                    byWord.set(word, covering);
                }
                covering.add(span);
            }
        }
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
