package io.glinerspark;

import io.glinerspark.types.TokenScore;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * How spans are decoded into entities. Immutable; build with {@link #defaults()} and the {@code with...} methods.
 *
 * @param threshold       global probability threshold; a span is kept when {@code p > threshold} (strict, float32)
 * @param labelThresholds per-label thresholds that replace the global one for their label; applied before the
 *                        greedy selection
 * @param flatNer         true: accepted spans never overlap; false: nested spans are allowed, partial overlaps not
 * @param multiLabel      true: the same span may be accepted under several labels
 * @param tokenScore      score formula of token-level models
 * @param longText        what happens to texts longer than the model's window
 * @param windowOverlap   words shared by neighbouring windows when long texts are chunked
 */
public record ExtractionOptions(float threshold, Map<String, Float> labelThresholds, boolean flatNer,
                                boolean multiLabel, TokenScore tokenScore, LongTextPolicy longText,
                                int windowOverlap) implements Serializable {

    /** Policy for texts with more words (or sub-tokens) than one model window holds. */
    public enum LongTextPolicy {
        /** Overlapping windows, merged and re-decoded over the whole document. */
        CHUNK,
        /**
         * Keep the first window only (the reference behaviour); reported in the statistics. Words too large for any
         * window are left out of it, as in CHUNK, and the words after them up to the window's size are still read.
         */
        TRUNCATE,
        /** Fail the text with an error. */
        FAIL
    }

    public ExtractionOptions {
        if (!(threshold >= 0f && threshold < 1f)) {
            throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
        }
        labelThresholds = Map.copyOf(Objects.requireNonNull(labelThresholds, "labelThresholds"));
        labelThresholds.forEach((label, t) -> {
            if (!(t >= 0f && t < 1f)) {
                throw new IllegalArgumentException("threshold for label '" + label + "' must be in [0, 1), got " + t);
            }
        });
        Objects.requireNonNull(tokenScore, "tokenScore");
        Objects.requireNonNull(longText, "longText");
        if (windowOverlap < 0) {
            throw new IllegalArgumentException("windowOverlap must be >= 0, got " + windowOverlap);
        }
    }

    /** Threshold 0.5, flat, single-label, {@code min} token score, chunked long texts with 50 words of overlap. */
    public static ExtractionOptions defaults() {
        return new ExtractionOptions(0.5f, Map.of(), true, false, TokenScore.MIN, LongTextPolicy.CHUNK, 50);
    }

    public ExtractionOptions withThreshold(float value) {
        return new ExtractionOptions(value, labelThresholds, flatNer, multiLabel, tokenScore, longText, windowOverlap);
    }

    public ExtractionOptions withLabelThresholds(Map<String, Float> value) {
        return new ExtractionOptions(threshold, value, flatNer, multiLabel, tokenScore, longText, windowOverlap);
    }

    public ExtractionOptions withFlatNer(boolean value) {
        return new ExtractionOptions(threshold, labelThresholds, value, multiLabel, tokenScore, longText, windowOverlap);
    }

    public ExtractionOptions withMultiLabel(boolean value) {
        return new ExtractionOptions(threshold, labelThresholds, flatNer, value, tokenScore, longText, windowOverlap);
    }

    public ExtractionOptions withTokenScore(TokenScore value) {
        return new ExtractionOptions(threshold, labelThresholds, flatNer, multiLabel, value, longText, windowOverlap);
    }

    public ExtractionOptions withLongText(LongTextPolicy value) {
        return new ExtractionOptions(threshold, labelThresholds, flatNer, multiLabel, tokenScore, value, windowOverlap);
    }

    public ExtractionOptions withWindowOverlap(int value) {
        return new ExtractionOptions(threshold, labelThresholds, flatNer, multiLabel, tokenScore, longText, value);
    }

    /** The threshold that applies to {@code label}. */
    public float thresholdFor(String label) {
        Float own = labelThresholds.get(label);
        return own != null ? own : threshold;
    }
}
