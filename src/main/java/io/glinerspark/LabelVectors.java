package io.glinerspark;

import java.io.Serializable;
import java.util.Map;

/**
 * A bi-encoder's vectors of a label set, made once where the labels are known (a Spark driver) and handed to the
 * copies of the same model that extract with them (its executors), which then need not encode those labels again.
 * Vectors belong to one model: they are keyed by the text each label is encoded as (its description, else the label)
 * and marked with the fingerprint of the bundle that made them. Empty for models that are not bi-encoders.
 *
 * @param modelFingerprint the {@link ModelInfo#fingerprint()} of the model that made them
 * @param vectors          vector per encoded label text
 */
public record LabelVectors(String modelFingerprint, Map<String, float[]> vectors) implements Serializable {

    public LabelVectors {
        vectors = Map.copyOf(vectors);
    }

    /** Whether there is no vector to hand on (the model is not a bi-encoder). */
    public boolean isEmpty() {
        return vectors.isEmpty();
    }
}
