package io.glinerspark.settings;

import io.glinerspark.DeviceSetting;
import io.glinerspark.ExtractionOptions;
import io.glinerspark.ModelOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings given as text ({@code name -> value}), read through the registry: a setting that was not given has its
 * default. Values are parsed when read; a bad one fails with the setting's name, spelled as its front end writes
 * it, and the value. Entries that are not settings are kept but never read.
 */
public final class SettingValues {

    private final Map<String, String> given;
    private final Spelling spelling;

    private SettingValues(Map<String, String> given, Spelling spelling) {
        this.given = given;
        this.spelling = spelling;
    }

    /** Settings keyed by name (no prefix); errors spell names as {@code spelling} does. */
    public static SettingValues of(Map<String, String> given, Spelling spelling) {
        return new SettingValues(Map.copyOf(given), spelling);
    }

    /** The {@code spark.gliner.*} entries of {@code conf}, keyed without the prefix. */
    public static Map<String, String> stripPrefix(Map<String, String> conf) {
        Map<String, String> settings = new LinkedHashMap<>();
        conf.forEach((key, value) -> {
            if (key.startsWith(Settings.PREFIX)) {
                settings.put(key.substring(Settings.PREFIX.length()), value);
            }
        });
        return settings;
    }

    /** The value of {@code setting}: as given, else its default (null when it has none). */
    public <T> T get(Setting<T> setting) {
        String text = given.get(setting.name());
        return text == null ? setting.defaultValue() : setting.parse(text, spelling);
    }

    /** Whether {@code setting} was given. */
    public boolean isGiven(Setting<?> setting) {
        return given.containsKey(setting.name());
    }

    /** The given text of {@code setting}, or null. */
    public String text(Setting<?> setting) {
        return given.get(setting.name());
    }

    /** Every given entry, keyed by name. */
    public Map<String, String> given() {
        return given;
    }

    /**
     * The model and its placement. The device may be {@code auto} or {@code cuda}, which only a scheduler that
     * assigns GPUs can resolve; see {@link #localModelOptions()} for a process that runs the model itself.
     */
    public ModelOptions modelOptions() {
        return new ModelOptions(get(Settings.MODEL), get(Settings.ONNX_FILE), get(Settings.DEVICE),
                get(Settings.REQUIRE_DEVICE), get(Settings.INTRA_OP_THREADS),
                get(Settings.BATCH_WORDS), get(Settings.BATCH_TOKENS));
    }

    /** {@link #modelOptions()} for a process without a GPU scheduler: {@code auto} is the CPU there. */
    public ModelOptions localModelOptions() {
        ModelOptions options = modelOptions();
        return options.device().target() == DeviceSetting.Target.AUTO
                ? options.withDevice(DeviceSetting.CPU, options.requireDevice()) : options;
    }

    /** The decoding settings, each given one on top of the registry's defaults. */
    public ExtractionOptions extractionOptions() {
        return ExtractionOptions.of(this::get, null);
    }

    /** The decoding settings that were given, on top of {@code base}; the others keep {@code base}'s values. */
    public ExtractionOptions extractionOptions(ExtractionOptions base) {
        return ExtractionOptions.of(setting -> isGiven(setting) ? get(setting) : null, base);
    }
}
