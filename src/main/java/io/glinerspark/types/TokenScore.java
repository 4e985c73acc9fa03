package io.glinerspark.types;

/** Score of a span in token-level models. */
public enum TokenScore {
    /** min(inside..., start, end): the reference since 0.2.17. */
    MIN,
    /** mean(inside): the reference up to 0.2.16. */
    MEAN
}
