package io.glinerspark.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The kind of value a setting holds: how its text becomes a value, and which values are valid. Errors are
 * {@link InvalidValueException}s that say what was expected and what was given.
 *
 * @param <T> the Java type of the value
 */
public final class SettingType<T> {

    /** The shape of a value, as front ends that type their parameters (Spark ML, Python) need to know it. */
    public enum Kind {
        BOOLEAN, INTEGER, NUMBER, TEXT, LIST, MAP
    }

    private final Kind kind;
    private final String description;
    private final Function<String, T> convert;
    private final Consumer<T> check;
    private final Function<T, String> format;
    private final Integer min;
    private final Integer max;
    private final List<String> choices;

    private SettingType(Kind kind, String description, Function<String, T> convert, Consumer<T> check,
                        Function<T, String> format, Integer min, Integer max, List<String> choices) {
        this.kind = kind;
        this.description = description;
        this.convert = convert;
        this.check = check;
        this.format = format;
        this.min = min;
        this.max = max;
        this.choices = choices;
    }

    /** {@code true} or {@code false}, any case. */
    public static SettingType<Boolean> bool() {
        return new SettingType<>(Kind.BOOLEAN, "true or false", text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw InvalidValueException.expected("true or false", text);
        }, value -> {
        }, String::valueOf, null, null, List.of());
    }

    /** A whole number in {@code [min, max]}. */
    public static SettingType<Integer> integer(int min, int max) {
        String lower = min == 1 ? "an integer > 0" : "an integer >= " + min;
        String description = max == Integer.MAX_VALUE ? lower : "an integer in [" + min + ", " + max + "]";
        return new SettingType<>(Kind.INTEGER, description, text -> {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw InvalidValueException.expected("an integer", text);
            }
        }, value -> {
            if (value < min) {
                throw InvalidValueException.expected(lower, value.toString());
            }
            if (value > max) {
                throw new InvalidValueException(value + " is above the upper bound " + max);
            }
        }, String::valueOf, min, max, List.of());
    }

    /** A probability threshold in {@code [0, 1)}, compared in float32 as the engine does. */
    public static SettingType<Double> probability() {
        return new SettingType<>(Kind.NUMBER, "a number in [0, 1)", text -> {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw InvalidValueException.expected("a number", text);
            }
        }, value -> {
            float single = value.floatValue();
            if (!(single >= 0f && single < 1f)) {
                throw InvalidValueException.expected("a number in [0, 1)", value.toString());
            }
        }, String::valueOf, null, null, List.of());
    }

    /** Any non-blank text, trimmed. */
    public static SettingType<String> text() {
        return new SettingType<>(Kind.TEXT, "a non-empty text", String::trim, value -> {
            if (value.isBlank()) {
                throw InvalidValueException.expected("a non-empty value", value);
            }
        }, Function.identity(), null, null, List.of());
    }

    /** One of the constants of {@code type}, written as its name in lower case (any case is read). */
    public static <E extends Enum<E>> SettingType<E> choice(Class<E> type) {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(SettingType::choiceText).toList();
        String expected = "one of " + String.join(", ", allowed);
        return new SettingType<>(Kind.TEXT, expected, text -> {
            String given = text.trim().toLowerCase(Locale.ROOT);
            int index = allowed.indexOf(given);
            if (index < 0) {
                throw InvalidValueException.expected(expected, given);
            }
            return type.getEnumConstants()[index];
        }, value -> {
        }, SettingType::choiceText, null, null, allowed);
    }

    private static String choiceText(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}, any case. */
    public static SettingType<DeviceSetting> device() {
        String expected = "auto, cpu, cuda or cuda:N";
        return new SettingType<>(Kind.TEXT, expected, text -> {
            DeviceSetting device = DeviceSetting.parseOrNull(text);
            if (device == null) {
                throw InvalidValueException.expected(expected, text.trim());
            }
            return device;
        }, value -> {
        }, DeviceSetting::toString, null, null, List.of());
    }

    /** A comma-separated list; entries are trimmed, empty ones dropped, and at least one must remain. */
    public static SettingType<List<String>> list() {
        return new SettingType<>(Kind.LIST, "a comma-separated list",
                text -> Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                value -> {
                    if (value.isEmpty()) {
                        throw InvalidValueException.expected("a comma-separated list", "");
                    }
                }, value -> String.join(",", value), null, null, List.of());
    }

    /**
     * Per-label thresholds {@code label=threshold,label=threshold}: labels are trimmed, the last {@code =} of an
     * entry separates its threshold (so a label may contain {@code =}), each threshold in {@code [0, 1)}.
     */
    public static SettingType<Map<String, Float>> labelThresholds() {
        return new SettingType<>(Kind.MAP, "label=threshold,... with thresholds in [0, 1)", text -> {
            Map<String, Float> thresholds = new LinkedHashMap<>();
            for (String entry : text.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.lastIndexOf('=');
                if (eq <= 0) {
                    throw InvalidValueException.expected("entries of the form label=threshold", text);
                }
                try {
                    thresholds.put(entry.substring(0, eq).trim(), Float.parseFloat(entry.substring(eq + 1).trim()));
                } catch (NumberFormatException e) {
                    throw InvalidValueException.expected("a number after '=' in '" + entry.trim() + "'", text);
                }
            }
            return thresholds;
        }, value -> value.forEach((label, threshold) -> {
            if (!(threshold >= 0f && threshold < 1f)) {
                throw new InvalidValueException("threshold for label '" + label + "' must be in [0, 1), got "
                        + threshold);
            }
        }), SettingType::entries, null, null, List.of());
    }

    /** {@code TYPE=prompt,TYPE=prompt}, in the given order; each type once, neither side empty. */
    public static SettingType<Map<String, String>> mapping() {
        return new SettingType<>(Kind.MAP, "TYPE=prompt,...", text -> {
            Map<String, String> map = new LinkedHashMap<>();
            for (String entry : text.split(",")) {
                int eq = entry.indexOf('=');
                String key = eq < 0 ? "" : entry.substring(0, eq).strip();
                String value = eq < 0 ? "" : entry.substring(eq + 1).strip();
                if (key.isEmpty() || value.isEmpty()) {
                    throw InvalidValueException.expected("TYPE=prompt", entry);
                }
                if (map.put(key, value) != null) {
                    throw new InvalidValueException("type " + key + " is mapped twice");
                }
            }
            return map;
        }, value -> {
        }, SettingType::entries, null, null, List.of());
    }

    /**
     * A JSON object of strings, label to description, e.g. {@code {"drug": "a medication"}}: JSON because a
     * description is free text that may hold commas and equal signs. Its order is the object's; a blank text is none.
     */
    public static SettingType<Map<String, String>> labelDescriptions() {
        ObjectMapper json = new ObjectMapper();
        return new SettingType<>(Kind.TEXT, "a JSON object of label to description", text -> {
            Map<String, String> descriptions = new LinkedHashMap<>();
            if (text.isBlank()) {
                return descriptions;
            }
            JsonNode node;
            try {
                node = json.readTree(text);
            } catch (JsonProcessingException e) {
                throw InvalidValueException.expected("a JSON object such as {\"label\": \"description\"}", text);
            }
            if (node == null || !node.isObject()) {
                throw InvalidValueException.expected("a JSON object such as {\"label\": \"description\"}", text);
            }
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw new InvalidValueException("the description of label '" + entry.getKey()
                            + "' must be a JSON string");
                }
                descriptions.put(entry.getKey(), entry.getValue().asText());
            }
            return descriptions;
        }, value -> {
        }, value -> {
            ObjectNode node = json.createObjectNode();
            value.forEach(node::put);
            return node.toString();
        }, null, null, List.of());
    }

    private static String entries(Map<String, ?> map) {
        StringBuilder text = new StringBuilder();
        map.forEach((key, value) -> text.append(text.isEmpty() ? "" : ",").append(key).append('=').append(value));
        return text.toString();
    }

    /** The text form of {@code value}, which {@link #parse} reads back to an equal value. */
    public String format(T value) {
        return format.apply(value);
    }

    /** Parses and checks {@code text}. */
    T parse(String text) {
        T value = convert.apply(text);
        check.accept(value);
        return value;
    }

    /** Checks a value given already typed (a Transformer parameter). */
    void check(T value) {
        check.accept(value);
    }

    public Kind kind() {
        return kind;
    }

    /** What a valid value is, in words ("an integer in [0, 256]"). */
    public String description() {
        return description;
    }

    /** Lower bound of an integer, else null. */
    public Integer min() {
        return min;
    }

    /** Upper bound of an integer, else null. */
    public Integer max() {
        return max;
    }

    /** The allowed values of a choice, else empty. */
    public List<String> choices() {
        return new ArrayList<>(choices);
    }
}
