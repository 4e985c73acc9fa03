package io.glinerspark.types;

/**
 * A label list the engine cannot extract with: empty, with a null label, a label without any sub-token, a label that
 * spells one of the tokenizer's added tokens (a prompt marker such as {@code <<ENT>>} or a special token such as
 * {@code [CLS]}), or a label whose prompt alone leaves no room for text in the model's window. It concerns the labels,
 * never a text, so every text extracted with that list would get it.
 */
public final class InvalidLabelsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidLabelsException(String message) {
        super(message);
    }

    /** A label (or its description) quoted for a message and shortened: it is named only so it can be found. */
    public static String quoted(String label) {
        return "'" + (label.length() > 40 ? label.substring(0, 40) + "..." : label) + "'";
    }

    /** A label for a message, with the description it is encoded as when that differs from the label. */
    public static String labelNamed(String name, String prompt) {
        return name.equals(prompt) ? "label " + quoted(name)
                : "label " + quoted(name) + " (its description " + quoted(prompt) + ")";
    }
}
