package io.glinerspark;

import java.util.ArrayList;
import java.util.List;

/** Cuts a long text's words into the overlapping windows a model can take. */
final class TextWindows {

    /** Words [start, end) of a text. */
    record WordRange(int start, int end) {
        int size() {
            return end - start;
        }
    }

    private TextWindows() {
    }

    /**
     * Windows covering every word: each holds at most {@code maxWords} words and {@code tokenBudget} sub-tokens, and
     * starts {@code overlap} words before the previous one ended. The overlap is capped at half the previous window
     * so that windows shortened by the sub-token budget still advance through the text.
     *
     * @param tokenCounts sub-tokens of each word
     * @throws IllegalArgumentException when a single word has more sub-tokens than the budget
     */
    static List<WordRange> plan(int[] tokenCounts, int maxWords, int tokenBudget, int overlap) {
        List<WordRange> windows = new ArrayList<>();
        int start = 0;
        while (true) {
            WordRange window = fillFrom(tokenCounts, start, maxWords, tokenBudget);
            windows.add(window);
            if (window.end() == tokenCounts.length) {
                return windows;
            }
            start = window.end() - Math.min(overlap, window.size() / 2);
        }
    }

    /** The first window alone (what the TRUNCATE policy keeps). */
    static WordRange first(int[] tokenCounts, int maxWords, int tokenBudget) {
        return fillFrom(tokenCounts, 0, maxWords, tokenBudget);
    }

    private static WordRange fillFrom(int[] tokenCounts, int start, int maxWords, int tokenBudget) {
        int end = start;
        int tokens = 0;
        while (end < tokenCounts.length && end - start < maxWords && tokens + tokenCounts[end] <= tokenBudget) {
            tokens += tokenCounts[end];
            end++;
        }
        if (end == start && start < tokenCounts.length) {
            throw new IllegalArgumentException("word " + start + " has " + tokenCounts[start] + " sub-tokens, more than"
                    + " the " + tokenBudget + " left for text in one window after the label prompt");
        }
        return new WordRange(start, end);
    }
}
