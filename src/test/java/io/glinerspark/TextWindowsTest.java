package io.glinerspark;

import io.glinerspark.TextWindows.WordRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class TextWindowsTest {

    private static int[] ones(int n) {
        int[] counts = new int[n];
        Arrays.fill(counts, 1);
        return counts;
    }

    @Test
    void shortTextIsOneWindow() {
        assertEquals(List.of(new WordRange(0, 10)), TextWindows.plan(ones(10), 16, 100, 4).windows());
    }

    @Test
    void wordWindowsOverlap() {
        assertEquals(List.of(new WordRange(0, 16), new WordRange(12, 28), new WordRange(24, 30)),
                TextWindows.plan(ones(30), 16, 100, 4).windows());
    }

    @Test
    void overlapIsCappedAtHalfAWindow() {
        assertEquals(List.of(new WordRange(0, 10), new WordRange(5, 15), new WordRange(10, 18)),
                TextWindows.plan(ones(18), 10, 100, 50).windows());
    }

    @Test
    void subTokenBudgetShortensWindows() {
        int[] counts = {3, 3, 3, 3, 3, 3};
        List<WordRange> windows = TextWindows.plan(counts, 100, 7, 1).windows();
        assertEquals(List.of(new WordRange(0, 2), new WordRange(1, 3), new WordRange(2, 4), new WordRange(3, 5),
                new WordRange(4, 6)), windows);
        for (WordRange window : windows) {
            int tokens = 0;
            for (int i = window.start(); i < window.end(); i++) {
                tokens += counts[i];
            }
            assertTrue(tokens <= 7);
        }
    }

    @Test
    void wordsWithoutSubTokensCostNothing() {
        assertEquals(List.of(new WordRange(0, 4)), TextWindows.plan(new int[] {1, 0, 0, 1}, 10, 2, 1).windows());
    }

    @Test
    void everyWordIsCoveredAndWindowsAdvance() {
        int[] counts = new int[1000];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = 1 + (i * 7919) % 5;
        }
        List<WordRange> windows = TextWindows.plan(counts, 64, 100, 20).windows();
        assertEquals(0, windows.get(0).start());
        assertEquals(1000, windows.get(windows.size() - 1).end());
        for (int i = 1; i < windows.size(); i++) {
            assertTrue(windows.get(i).start() > windows.get(i - 1).start());
            assertTrue(windows.get(i).start() < windows.get(i - 1).end(), "neighbouring windows overlap");
        }
    }

    @Test
    void anOversizedWordIsInNoWindowAndNoWindowCrossesIt() {
        TextWindows.Plan plan = TextWindows.plan(new int[] {1, 9, 1}, 10, 8, 1);
        assertEquals(List.of(new WordRange(0, 1), new WordRange(2, 3)), plan.windows());
        assertEquals(1, plan.oversizedWords());
    }

    @Test
    void oversizedWordsAtTheEdgesAndInARow() {
        TextWindows.Plan plan = TextWindows.plan(new int[] {9, 9, 1, 1, 9, 9, 1, 9}, 10, 8, 1);
        assertEquals(List.of(new WordRange(2, 4), new WordRange(6, 7)), plan.windows());
        assertEquals(5, plan.oversizedWords());
        TextWindows.Plan nothing = TextWindows.plan(new int[] {9, 9}, 10, 8, 1);
        assertEquals(List.of(), nothing.windows());
        assertEquals(2, nothing.oversizedWords());
    }

    @Test
    void windowsOverlapInsideAPieceAndStartAfterAnOversizedWord() {
        int[] counts = new int[25];
        Arrays.fill(counts, 1);
        counts[12] = 50;
        assertEquals(List.of(new WordRange(0, 8), new WordRange(6, 12), new WordRange(13, 21), new WordRange(19, 25)),
                TextWindows.plan(counts, 8, 10, 2).windows());
    }

    @Test
    void firstWindowOnly() {
        assertEquals(new TextWindows.Plan(List.of(new WordRange(0, 16)), 0), TextWindows.first(ones(30), 16, 100));
    }

    @Test
    void firstWindowLeavesOutOversizedWordsAndKeepsReadingAfterThem() {
        // the first 6 words: the oversized word counts against the 6 words but not against the 4 sub-tokens
        assertEquals(new TextWindows.Plan(List.of(new WordRange(1, 3), new WordRange(4, 6)), 2),
                TextWindows.first(new int[] {9, 1, 1, 9, 1, 1, 1, 1}, 6, 4));
        assertEquals(new TextWindows.Plan(List.of(new WordRange(0, 1), new WordRange(2, 4)), 1),
                TextWindows.first(new int[] {2, 9, 1, 1, 1, 1}, 10, 4));
    }
}
