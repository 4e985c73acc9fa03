package io.glinerspark;

import io.glinerspark.types.Entity;

import java.util.List;
import java.util.Objects;

/**
 * The outcome for one text: its entities, or the error that belongs to that text alone (a text longer than the FAIL
 * policy allows, a null word in a pre-split text). Other texts of the call are unaffected. Errors of the labels or
 * of the runtime are never per-text results: they fail the call.
 *
 * @param entities the entities ordered by start, empty on error
 * @param error    null on success
 */
public record ExtractionResult(List<Entity> entities, RuntimeException error) {

    public ExtractionResult {
        entities = List.copyOf(Objects.requireNonNull(entities, "entities"));
    }

    static ExtractionResult of(List<Entity> entities) {
        return new ExtractionResult(entities, null);
    }

    static ExtractionResult failure(RuntimeException error) {
        return new ExtractionResult(List.of(), Objects.requireNonNull(error, "error"));
    }

    /** True when the text has an error instead of entities. */
    public boolean failed() {
        return error != null;
    }
}
