package io.glinerspark.settings;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One setting: its name (the same in every front end), what it governs, its type and bounds, its default and a
 * one-line doc. The registry of all settings is {@link Settings}.
 *
 * @param <T> the Java type of the value
 */
public final class Setting<T> {

    private final String name;
    private final Group group;
    private final SettingType<T> type;
    private final String defaultText;
    private final T defaultValue;
    private final String doc;
    private final Set<FrontEnd> frontEnds;

    Setting(String name, Group group, SettingType<T> type, String defaultText, String doc, Set<FrontEnd> frontEnds) {
        this.name = Objects.requireNonNull(name, "name");
        this.group = Objects.requireNonNull(group, "group");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultText = defaultText;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.frontEnds = Set.copyOf(EnumSet.copyOf(frontEnds));
        this.defaultValue = defaultText == null ? null : parse(defaultText, Spelling.PARAM);
    }

    public String name() {
        return name;
    }

    public Group group() {
        return group;
    }

    public SettingType<T> type() {
        return type;
    }

    /** The default as text (the form every front end accepts), or null when the setting has none. */
    public String defaultText() {
        return defaultText;
    }

    /** The default, typed, or null when the setting has none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** One line: what the setting does. */
    public String doc() {
        return doc;
    }

    /** Whether {@code frontEnd} reads this setting. */
    public boolean readBy(FrontEnd frontEnd) {
        return frontEnds.contains(frontEnd);
    }

    /** The front ends that read this setting. */
    public Set<FrontEnd> frontEnds() {
        return frontEnds;
    }

    /**
     * The value of {@code text}.
     *
     * @throws IllegalArgumentException naming the setting, as {@code spelling} writes it, and the bad value
     */
    public T parse(String text, Spelling spelling) {
        try {
            return type.parse(text);
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException(spelling.of(name) + ": " + e.getMessage(), e);
        }
    }

    /** The text form of {@code value}, which {@link #parse} reads back. */
    public String format(T value) {
        return type.format(value);
    }

    /**
     * Checks an already typed value against the setting's bounds and choices.
     *
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public void check(T value, Spelling spelling) {
        try {
            type.check(value);
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException(spelling.of(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
