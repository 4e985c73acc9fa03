package io.glinerspark;

import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.Settings;
import io.glinerspark.types.TokenScore;

import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How spans are decoded into entities. Immutable; build with {@link #defaults()} and the {@code with...} methods.
 * Each component is the value of the decoding setting of the same name in {@link Settings}, which holds its default
 * and its text form; {@link #of} builds the record from the settings, and the incremental fingerprint reads every
 * component, so a new decoding setting is a new component here and a new entry in the registry, nothing else.
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

    /** The defaults of the settings registry. */
    public static ExtractionOptions defaults() {
        return of(Setting::defaultValue, null);
    }

    /**
     * Options whose components are the values of the decoding settings of their names.
     *
     * @param values a setting's value, typed as the registry types it, or null to keep {@code base}'s
     * @param base   the values of the settings {@code values} leaves out; null: none (only settings without a
     *               default may then be left out, and they are empty)
     */
    public static ExtractionOptions of(Function<Setting<?>, Object> values, ExtractionOptions base) {
        RecordComponent[] components = ExtractionOptions.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] arguments = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                types[i] = component.getType();
                Object value = values.apply(setting(component.getName()));
                if (value == null && base != null) {
                    value = component.getAccessor().invoke(base);
                }
                if (value == null && types[i] == Map.class) {
                    value = Map.of();
                }
                arguments[i] = types[i] == float.class ? ((Number) value).floatValue() : value;
            }
            return ExtractionOptions.class.getDeclaredConstructor(types).newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build decoding options from the settings", e);
        }
    }

    /** The decoding setting that a component stands for. */
    static Setting<?> setting(String component) {
        Setting<?> setting = Settings.byName(component);
        if (setting == null || setting.group() != Group.DECODING) {
            throw new IllegalStateException("decoding option " + component + " is not a decoding setting of the registry");
        }
        return setting;
    }

    /**
     * Every component as {@code name=value}, one a line, in declaration order; per-label thresholds sorted by label.
     * Equal options give equal text, and options that decode differently give different text.
     */
    public String canonical() {
        StringBuilder text = new StringBuilder();
        try {
            for (RecordComponent component : ExtractionOptions.class.getRecordComponents()) {
                Object value = component.getAccessor().invoke(this);
                if (value instanceof Map<?, ?> map) {
                    value = new TreeMap<>(map);
                }
                text.append(text.isEmpty() ? "" : "\n").append(component.getName()).append('=').append(value);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the decoding options", e);
        }
        return text.toString();
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
