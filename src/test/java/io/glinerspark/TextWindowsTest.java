package io.glinerspark;

import io.glinerspark.TextWindows.WordRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextWindowsTest {

    private static int[] ones(int n) {
        int[] counts = new int[n];
        Arrays.fill(counts, 1);
        return counts;
    }

    @Test
    void shortTextIsOneWindow() {
        assertEquals(List.of(new WordRange(0, 10)), TextWindows.plan(ones(10), 16, 100, 4));
    }

    @Test
    void wordWindowsOverlap() {
        assertEquals(List.of(new WordRange(0, 16), new WordRange(12, 28), new WordRange(24, 30)),
                TextWindows.plan(ones(30), 16, 100, 4));
    }

    @Test
    void overlapIsCappedAtHalfAWindow() {
        assertEquals(List.of(new WordRange(0, 10), new WordRange(5, 15), new WordRange(10, 18)),
                TextWindows.plan(ones(18), 10, 100, 50));
    }

    @Test
    void subTokenBudgetShortensWindows() {
        int[] counts = {3, 3, 3, 3, 3, 3};
        List<WordRange> windows = TextWindows.plan(counts, 100, 7, 1);
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
        assertEquals(List.of(new WordRange(0, 4)), TextWindows.plan(new int[] {1, 0, 0, 1}, 10, 2, 1));
    }

    @Test
    void everyWordIsCoveredAndWindowsAdvance() {
        int[] counts = new int[1000];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = 1 + (i * 7919) % 5;
        }
        List<WordRange> windows = TextWindows.plan(counts, 64, 100, 20);
        assertEquals(0, windows.get(0).start());
        assertEquals(1000, windows.get(windows.size() - 1).end());
        for (int i = 1; i < windows.size(); i++) {
            assertTrue(windows.get(i).start() > windows.get(i - 1).start());
            assertTrue(windows.get(i).start() < windows.get(i - 1).end(), "neighbouring windows overlap");
        }
    }

    @Test
    void aWordOverTheBudgetIsAnError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TextWindows.plan(new int[] {1, 9, 1}, 10, 8, 1));
        assertTrue(error.getMessage().contains("word 1 has 9 sub-tokens"), error.getMessage());
    }

    @Test
    void firstWindowOnly() {
        assertEquals(new WordRange(0, 16), TextWindows.first(ones(30), 16, 100));
    }
}
