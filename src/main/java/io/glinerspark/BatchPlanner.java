package io.glinerspark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Packs sequences into batches by padded size rather than row count: the span head grows with words x widths
 * and attention with tokens, and sorting by length first keeps padding low.
 */
final class BatchPlanner {

    private BatchPlanner() {
    }

    /**
     * Batches of sequence indices (shortest first), each within both budgets: rows x most words x {@code maxWidth}
     * at most {@code batchWords}, rows x most sub-tokens at most {@code batchTokens}. A sequence over a budget on
     * its own gets a batch of its own.
     *
     * @param words  words per sequence
     * @param tokens sub-tokens per sequence
     */
    static List<List<Integer>> plan(int[] words, int[] tokens, int maxWidth, long batchWords, long batchTokens) {
        List<Integer> order = IntStream.range(0, words.length).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> words[i]).thenComparingInt(i -> tokens[i]))
                .toList();
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int mostWords = 0;
        int mostTokens = 0;
        for (int index : order) {
            int nextWords = Math.max(mostWords, words[index]);
            int nextTokens = Math.max(mostTokens, tokens[index]);
            long rows = current.size() + 1L;
            boolean fits = rows * nextWords * maxWidth <= batchWords && rows * nextTokens <= batchTokens;
            if (!fits && !current.isEmpty()) {
                batches.add(current);
                current = new ArrayList<>();
                nextWords = words[index];
                nextTokens = tokens[index];
            }
            current.add(index);
            mostWords = nextWords;
            mostTokens = nextTokens;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
