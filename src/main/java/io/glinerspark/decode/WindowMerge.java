package io.glinerspark.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Joins the candidates of overlapping windows of one document before the document-level greedy selection. */
public final class WindowMerge {

    /** The order a single window would have enumerated them in: start word, then width, then label. */
    private static final Comparator<SpanCandidate> DECODER_ORDER = Comparator
            .comparingInt(SpanCandidate::startWord)
            .thenComparingInt(SpanCandidate::endWord)
            .thenComparingInt(SpanCandidate::labelIndex);

    private WindowMerge() {
    }

    /**
     * One candidate per (start, end, label), with the highest score any window gave it, in decoder order so that
     * the greedy selection breaks ties over the document as it would inside one window.
     *
     * @param windows candidates per window, already shifted to document word indices
     */
    public static List<SpanCandidate> merge(List<List<SpanCandidate>> windows) {
        Map<SpanKey, SpanCandidate> best = new HashMap<>();
        for (List<SpanCandidate> window : windows) {
            for (SpanCandidate candidate : window) {
                best.merge(new SpanKey(candidate.startWord(), candidate.endWord(), candidate.labelIndex()), candidate,
                        (a, b) -> b.score() > a.score() ? b : a);
            }
        }
        List<SpanCandidate> merged = new ArrayList<>(best.values());
        merged.sort(DECODER_ORDER);
        return merged;
    }

    private record SpanKey(int startWord, int endWord, int labelIndex) {
    }
}
