package io.glinerspark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a long text's words into the overlapping windows a model can take.
 *
 * <p>A word with more sub-tokens than a window holds beside the label prompt (an oversized word: a long CJK run, a
 * base64 blob) can never be inside a window, so it can never be part of an entity. Windows stop before it and the
 * next one starts after it: the words on either side are still read, and no span can reach across it.
 */
final class TextWindows {

    /** Words [start, end) of a text. */
    record WordRange(int start, int end) {
        int size() {
            return end - start;
        }
    }

    /**
     * The windows to run and how many words none of them holds.
     *
     * @param windows        in text order
     * @param oversizedWords words left out because their sub-tokens alone exceed the budget
     */
    record Plan(List<WordRange> windows, int oversizedWords) {
    }

    private TextWindows() {
    }

    /**
     * Windows covering every word that fits a window: each holds at most {@code maxWords} words and
     * {@code tokenBudget} sub-tokens, and starts {@code overlap} words before the previous one ended. The overlap is
     * capped at half the previous window so that windows shortened by the sub-token budget still advance through
     * the text. Oversized words are in no window; a window never extends across one.
     *
     * @param tokenCounts sub-tokens of each word
     */
    static Plan plan(int[] tokenCounts, int maxWords, int tokenBudget, int overlap) {
        List<WordRange> windows = new ArrayList<>();
        int oversized = 0;
        int start = 0;
        while (true) {
            while (start < tokenCounts.length && tokenCounts[start] > tokenBudget) {
                oversized++;
                start++;
            }
            if (start == tokenCounts.length) {
                return new Plan(windows, oversized);
            }
            WordRange window = fillFrom(tokenCounts, start, maxWords, tokenBudget);
            windows.add(window);
            boolean stoppedAtOversized = window.end() < tokenCounts.length && tokenCounts[window.end()] > tokenBudget;
            start = window.end() == tokenCounts.length || stoppedAtOversized ? window.end()
                    : window.end() - Math.min(overlap, window.size() / 2);
        }
    }

    /**
     * What the TRUNCATE policy reads: the words one window would hold from the text's start (at most
     * {@code maxWords} words, oversized ones included, and {@code tokenBudget} sub-tokens, oversized ones excluded).
     * Without oversized words that is one window; with them, the pieces between them.
     */
    static Plan first(int[] tokenCounts, int maxWords, int tokenBudget) {
        int end = 0;
        int tokens = 0;
        while (end < tokenCounts.length && end < maxWords) {
            int count = tokenCounts[end];
            if (count <= tokenBudget) {
                if (tokens + count > tokenBudget) {
                    break;
                }
                tokens += count;
            }
            end++;
        }
        return plan(Arrays.copyOf(tokenCounts, end), maxWords, tokenBudget, 0);
    }

    /** The longest window from {@code start}, a word that fits the budget; it ends before any oversized word. */
    private static WordRange fillFrom(int[] tokenCounts, int start, int maxWords, int tokenBudget) {
        int end = start;
        int tokens = 0;
        while (end < tokenCounts.length && end - start < maxWords && tokens + tokenCounts[end] <= tokenBudget) {
            tokens += tokenCounts[end];
            end++;
        }
        return new WordRange(start, end);
    }
}
