package io.glinerspark.types;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The labels of one extraction, each with an optional description. The prompt carries a label's description in place
 * of the label (a label without one carries its own text), and every entity found keeps the label's name: a short
 * name such as {@code drug} can be asked for as {@code "a medication or pharmaceutical substance"}.
 *
 * <p>A set is a value, compared by its labels in order and their descriptions. It is not checked when made: the
 * engine checks it when it extracts and throws {@link InvalidLabelsException} for a null or repeated-prompt set, as
 * for any other unusable label (see {@code GlinerModel#checkLabels}). Repeated labels count once, in first-occurrence
 * order; the prompts (descriptions, or labels without one) must be distinct.
 */
public final class LabelSet implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> labels;
    private final Map<String, String> descriptions;

    private LabelSet(List<String> labels, Map<String, String> descriptions) {
        this.labels = Collections.unmodifiableList(new ArrayList<>(labels));
        Map<String, String> kept = new LinkedHashMap<>();
        for (String label : this.labels) {
            String description = label == null ? null : descriptions.get(label);
            if (description != null && !kept.containsKey(label)) {
                kept.put(label, description);
            }
        }
        this.descriptions = Collections.unmodifiableMap(kept);
    }

    /** Plain labels, each prompted as its own text. */
    public static LabelSet of(List<String> labels) {
        return new LabelSet(Objects.requireNonNull(labels, "labels"), Map.of());
    }

    /**
     * Labels with descriptions: a label found in {@code descriptions} is prompted as its description (a null one
     * counts as none); descriptions of labels not in {@code labels} are ignored.
     */
    public static LabelSet of(List<String> labels, Map<String, String> descriptions) {
        return new LabelSet(Objects.requireNonNull(labels, "labels"), descriptions == null ? Map.of() : descriptions);
    }

    /** Every label of {@code labelToDescription} in its iteration order, each prompted as its description. */
    public static LabelSet described(Map<String, String> labelToDescription) {
        return new LabelSet(new ArrayList<>(labelToDescription.keySet()), labelToDescription);
    }

    /** The labels as given (repeats and nulls included). */
    public List<String> labels() {
        return labels;
    }

    /** The descriptions of the labels that have one, in label order. */
    public Map<String, String> descriptions() {
        return descriptions;
    }

    /** The text the prompt carries for {@code label}: its description, else the label itself. */
    public String prompt(String label) {
        return descriptions.getOrDefault(label, label);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelSet set && labels.equals(set.labels) && descriptions.equals(set.descriptions);
    }

    @Override
    public int hashCode() {
        return 31 * labels.hashCode() + descriptions.hashCode();
    }

    /** The labels, each followed by {@code =description} when it has one (for messages). */
    @Override
    public String toString() {
        if (descriptions.isEmpty()) {
            return labels.toString();
        }
        List<String> shown = new ArrayList<>(labels.size());
        for (String label : labels) {
            String description = descriptions.get(label);
            shown.add(description == null ? label : label + "=" + description);
        }
        return shown.toString();
    }
}
