package io.glinerspark.eval;

import io.glinerspark.dataset.GoldSpan;
import io.glinerspark.types.Entity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class SpanMatcherTest {

    private static Entity predicted(int start, int end, String label) {
        return new Entity("w", label, 0, 1, 0.9f, start, end);
    }

    @Test
    void onlyExactLabelStartAndEndMatch() {
        List<GoldSpan> gold = List.of(new GoldSpan(0, 1, "person"), new GoldSpan(3, 3, "location"));
        List<Entity> predictions = List.of(
                predicted(0, 1, "person"),     // exact
                predicted(3, 4, "location"),   // end differs
                predicted(5, 5, "person"));    // no gold there
        Map<String, MatchCounts> counts = SpanMatcher.match(gold, predictions);
        assertEquals(new MatchCounts(1, 2, 1), counts.get("person"));
        assertEquals(new MatchCounts(1, 1, 0), counts.get("location"));
    }

    @Test
    void rightSpanWithWrongLabelIsAMissAndAFalseAlarm() {
        Map<String, MatchCounts> counts = SpanMatcher.match(List.of(new GoldSpan(2, 3, "organization")),
                List.of(predicted(2, 3, "location")));
        assertEquals(new MatchCounts(1, 0, 0), counts.get("organization"));
        assertEquals(new MatchCounts(0, 1, 0), counts.get("location"));
    }

    @Test
    void labelsAreComparedExactly() {
        // lower-casing is the loader's job (prompts and gold alike); the matcher itself must not merge labels
        Map<String, MatchCounts> counts = SpanMatcher.match(List.of(new GoldSpan(0, 0, "person")),
                List.of(predicted(0, 0, "Person")));
        assertEquals(new MatchCounts(1, 0, 0), counts.get("person"));
        assertEquals(new MatchCounts(0, 1, 0), counts.get("Person"));
    }

    @Test
    void aSpanRepeatedInOneSentenceCountsOnceAsInTheReferenceSets() {
        List<GoldSpan> gold = List.of(new GoldSpan(0, 0, "person"), new GoldSpan(0, 0, "person"));
        List<Entity> predictions = List.of(predicted(0, 0, "person"), predicted(0, 0, "person"));
        assertEquals(Map.of("person", new MatchCounts(1, 1, 1)), SpanMatcher.match(gold, predictions));
    }

    @Test
    void theSameSpanInTwoSentencesCountsTwice() {
        List<GoldSpan> gold = List.of(new GoldSpan(0, 0, "person"));
        MatchCounts first = SpanMatcher.match(gold, List.of(predicted(0, 0, "person"))).get("person");
        MatchCounts second = SpanMatcher.match(gold, List.of()).get("person");
        assertEquals(new MatchCounts(2, 1, 1), first.plus(second));
    }

    @Test
    void aGoldSpanCuttingThroughAWordCountsButNeverMatches() {
        List<GoldSpan> gold = List.of(new GoldSpan(1, -1, "location"), new GoldSpan(1, -1, "location"),
                new GoldSpan(-1, 4, "location"));
        Map<String, MatchCounts> counts = SpanMatcher.match(gold, List.of(predicted(1, 1, "location")));
        assertEquals(new MatchCounts(2, 1, 0), counts.get("location"));
    }

    @Test
    void noPredictionsScoreZeroNotAnError() {
        MatchCounts counts = SpanMatcher.match(List.of(new GoldSpan(0, 0, "person"), new GoldSpan(2, 2, "person")),
                List.of()).get("person");
        assertEquals(new MatchCounts(2, 0, 0), counts);
        assertEquals(0.0, counts.precision());
        assertEquals(0.0, counts.recall());
        assertEquals(0.0, counts.f1());
    }

    @Test
    void aSentenceWithNothingOnEitherSideCountsNothing() {
        assertTrue(SpanMatcher.match(List.of(), List.of()).isEmpty());
    }

    @Test
    void precisionRecallAndF1FromCounts() {
        MatchCounts counts = new MatchCounts(4, 3, 2);
        assertEquals(2.0 / 3, counts.precision(), 1e-15);
        assertEquals(0.5, counts.recall(), 1e-15);
        assertEquals(2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), counts.f1(), 1e-15);
        assertEquals(0.0, MatchCounts.ZERO.f1());
        assertEquals(0.0, new MatchCounts(0, 5, 0).f1());
    }

    @Test
    void impossibleCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MatchCounts(1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new MatchCounts(3, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new MatchCounts(-1, 0, 0));
    }
}
