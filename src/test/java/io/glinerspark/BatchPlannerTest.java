package io.glinerspark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class BatchPlannerTest {

    @Test
    void sortsByLengthAndPacksWithinTheWordBudget() {
        int[] words = {10, 2, 9, 3};
        int[] tokens = {12, 4, 11, 5};
        // K = 2: rows x words x 2 <= 40 words budget, tokens unconstrained
        List<List<Integer>> batches = BatchPlanner.plan(words, tokens, 2, 40, 1_000);
        assertEquals(List.of(List.of(1, 3), List.of(2, 0)), batches);
    }

    @Test
    void tokenBudgetSplitsToo() {
        int[] words = {2, 2, 2, 2};
        int[] tokens = {10, 10, 10, 10};
        assertEquals(List.of(List.of(0, 1, 2), List.of(3)), BatchPlanner.plan(words, tokens, 1, 1_000, 30));
    }

    @Test
    void oversizedSequenceGetsItsOwnBatch() {
        int[] words = {100, 1};
        int[] tokens = {200, 3};
        assertEquals(List.of(List.of(1), List.of(0)), BatchPlanner.plan(words, tokens, 12, 50, 50));
    }

    @Test
    void everySequenceExactlyOnceAndBudgetsHold() {
        int n = 500;
        int[] words = new int[n];
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) {
            words[i] = 1 + (i * 31) % 97;
            tokens[i] = words[i] + (i % 13);
        }
        List<List<Integer>> batches = BatchPlanner.plan(words, tokens, 12, 6_000, 2_000);
        List<Integer> seen = new ArrayList<>();
        for (List<Integer> batch : batches) {
            seen.addAll(batch);
            int mostWords = batch.stream().mapToInt(i -> words[i]).max().orElseThrow();
            int mostTokens = batch.stream().mapToInt(i -> tokens[i]).max().orElseThrow();
            assertTrue(batch.size() == 1 || batch.size() * mostWords * 12 <= 6_000);
            assertTrue(batch.size() == 1 || batch.size() * mostTokens <= 2_000);
        }
        assertEquals(n, seen.size());
        assertEquals(n, seen.stream().distinct().count());
    }
}
