package io.glinerspark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Tag("core")
class ModelOptionsBudgetTest {

    @Test
    void unsetBudgetsAreSizedForTheDeviceTheSessionGot() {
        ModelOptions unset = ModelOptions.defaults();
        assertEquals(0, unset.batchWords());
        assertEquals(ModelOptions.CPU_BATCH_WORDS, unset.withBudgetsFor(false).batchWords());
        assertEquals(ModelOptions.CPU_BATCH_TOKENS, unset.withBudgetsFor(false).batchTokens());
        assertEquals(ModelOptions.CUDA_BATCH_WORDS, unset.withBudgetsFor(true).batchWords());
        assertEquals(ModelOptions.CUDA_BATCH_TOKENS, unset.withBudgetsFor(true).batchTokens());
    }

    @Test
    void aBudgetTheUserSetIsKeptOnEveryDevice() {
        ModelOptions words = ModelOptions.defaults().withBatchBudget(1000, 0);
        assertEquals(1000, words.withBudgetsFor(true).batchWords());
        assertEquals(ModelOptions.CUDA_BATCH_TOKENS, words.withBudgetsFor(true).batchTokens());
        assertEquals(1000, words.withBudgetsFor(false).batchWords());
        assertThrows(IllegalArgumentException.class, () -> ModelOptions.defaults().withBatchBudget(-1, 0));
    }
}
