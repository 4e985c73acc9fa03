package io.glinerspark.decode;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("core")
class GreedySelectorTest {

    private static SpanCandidate span(int start, int end, int label, float score) {
        return new SpanCandidate(start, end, label, score);
    }

    @Test
    void flatKeepsTheBestOfOverlappingSpansAndSortsByStart() {
        SpanCandidate late = span(5, 6, 0, 0.9f);
        SpanCandidate overlapping = span(4, 5, 1, 0.8f);
        SpanCandidate early = span(0, 1, 0, 0.7f);
        assertEquals(List.of(early, late),
                GreedySelector.select(List.of(late, overlapping, early), true, false));
    }

    @Test
    void equalScoresKeepInputOrder() {
        SpanCandidate first = span(0, 1, 0, 0.75f);
        SpanCandidate second = span(1, 2, 0, 0.75f);
        assertEquals(List.of(first), GreedySelector.select(List.of(first, second), true, false));
        assertEquals(List.of(second), GreedySelector.select(List.of(second, first), true, false));
    }

    @Test
    void sameBoundariesConflictUnlessMultiLabel() {
        SpanCandidate person = span(2, 3, 0, 0.9f);
        SpanCandidate org = span(2, 3, 1, 0.8f);
        assertEquals(List.of(person), GreedySelector.select(List.of(person, org), true, false));
        assertEquals(List.of(person, org), GreedySelector.select(List.of(person, org), true, true));
        assertEquals(List.of(person, org), GreedySelector.select(List.of(person, org), false, true));
    }

    @Test
    void multiLabelStillRejectsPartialOverlapInFlatMode() {
        SpanCandidate a = span(2, 3, 0, 0.9f);
        SpanCandidate b = span(3, 4, 1, 0.8f);
        assertEquals(List.of(a), GreedySelector.select(List.of(a, b), true, true));
    }

    @Test
    void nestedModeAllowsContainmentButNotPartialOverlap() {
        SpanCandidate outer = span(0, 4, 0, 0.95f);
        SpanCandidate inner = span(1, 2, 1, 0.9f);
        SpanCandidate crossing = span(3, 6, 1, 0.85f);
        SpanCandidate sameAsInner = span(1, 2, 0, 0.8f);
        assertEquals(List.of(outer, inner),
                GreedySelector.select(List.of(outer, inner, crossing, sameAsInner), false, false));
        assertEquals(List.of(outer, inner, sameAsInner),
                GreedySelector.select(List.of(outer, inner, crossing, sameAsInner), false, true));
    }

    @Test
    void adjacentSpansDoNotConflict() {
        SpanCandidate a = span(0, 1, 0, 0.9f);
        SpanCandidate b = span(2, 3, 0, 0.8f);
        assertEquals(List.of(a, b), GreedySelector.select(List.of(b, a), true, false));
    }

    @Test
    void finalOrderIsStableByStart() {
        // Nested mode: two spans start at word 0; the higher-scored one is accepted first and stays first.
        SpanCandidate shortSpan = span(0, 0, 0, 0.9f);
        SpanCandidate longSpan = span(0, 3, 1, 0.8f);
        assertEquals(List.of(shortSpan, longSpan), GreedySelector.select(List.of(longSpan, shortSpan), false, false));
    }

    /** The reference's scan over all accepted spans, as written in the paper's code. */
    private static List<SpanCandidate> scanAll(List<SpanCandidate> candidates, boolean flatNer, boolean multiLabel) {
        List<SpanCandidate> byScore = new ArrayList<>(candidates);
        byScore.sort((a, b) -> Float.compare(b.score(), a.score()));
        List<SpanCandidate> accepted = new ArrayList<>();
        for (SpanCandidate candidate : byScore) {
            boolean conflict = false;
            for (SpanCandidate other : accepted) {
                conflict |= GreedySelector.conflict(candidate, other, flatNer, multiLabel);
            }
            if (!conflict) {
                accepted.add(candidate);
            }
        }
        accepted.sort(java.util.Comparator.comparingInt(SpanCandidate::startWord));
        return accepted;
    }

    @Test
    void sameSelectionAsScanningEveryAcceptedSpan() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            List<SpanCandidate> candidates = new ArrayList<>();
            int count = random.nextInt(60);
            for (int i = 0; i < count; i++) {
                int start = random.nextInt(30);
                // few distinct scores, so ties are common and the stable order matters
                candidates.add(span(start, start + random.nextInt(5), random.nextInt(3), 0.5f + random.nextInt(5) / 10f));
            }
            for (boolean flat : new boolean[] {true, false}) {
                for (boolean multi : new boolean[] {true, false}) {
                    assertEquals(scanAll(candidates, flat, multi), GreedySelector.select(candidates, flat, multi));
                }
            }
        }
    }
}
