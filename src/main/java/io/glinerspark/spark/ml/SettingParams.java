package io.glinerspark.spark.ml;

import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingType;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spark ML parameters made from the registry's settings: the parameter has the setting's name and doc, and its
 * validator is the setting's own check, so a bad value is refused with the registry's message naming the
 * parameter.
 */
final class SettingParams {

    private SettingParams() {
    }

    /** A setting held as its text form: text, a choice, a device. */
    static Param<String> text(Params parent, Setting<?> setting) {
        return new Param<>(parent, setting.name(), setting.doc(), new Validator<>(setting.name()));
    }

    static BooleanParam bool(Params parent, Setting<Boolean> setting) {
        return new BooleanParam(parent, setting.name(), setting.doc());
    }

    static IntParam integer(Params parent, Setting<Integer> setting) {
        return new IntParam(parent, setting.name(), setting.doc(), new Validator<>(setting.name()));
    }

    static DoubleParam number(Params parent, Setting<Double> setting) {
        return new DoubleParam(parent, setting.name(), setting.doc(), new Validator<>(setting.name()));
    }

    static StringArrayParam list(Params parent, Setting<List<String>> setting) {
        return new StringArrayParam(parent, setting.name(), setting.doc(), new Validator<>(setting.name()));
    }

    static LabelThresholdsParam labelThresholds(Params parent, Setting<Map<String, Float>> setting) {
        return new LabelThresholdsParam(parent, setting.name(), setting.doc(), new Validator<>(setting.name()));
    }

    /**
     * A setting's value in the form its parameter holds: lists as arrays, per-label thresholds as doubles, choices
     * and devices as their text.
     */
    static <T> Object paramValue(Setting<T> setting, Object value) {
        if (setting.type().kind() == SettingType.Kind.TEXT) {
            @SuppressWarnings("unchecked")
            T typed = (T) value;
            return setting.format(typed);
        }
        if (value instanceof List<?> list) {
            return list.toArray(String[]::new);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Double> thresholds = new LinkedHashMap<>();
            map.forEach((label, threshold) -> thresholds.put((String) label, ((Number) threshold).doubleValue()));
            return thresholds;
        }
        return value;
    }

    /** A parameter's value typed as its setting types it (the inverse of {@link #paramValue}). */
    static Object settingValue(Setting<?> setting, Object value) {
        if (value instanceof String text) {
            return setting.parse(text, Spelling.PARAM);
        }
        if (value instanceof String[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Float> thresholds = new LinkedHashMap<>();
            map.forEach((label, threshold) -> thresholds.put((String) label, ((Number) threshold).floatValue()));
            return thresholds;
        }
        return value;
    }

    /** Checks a parameter's value against its setting; it names the setting, so it travels with the parameter. */
    private static final class Validator<T> extends AbstractFunction1<T, Object> implements Serializable {

        private static final long serialVersionUID = 1L;
        private final String setting;

        Validator(String setting) {
            this.setting = setting;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object apply(T value) {
            Setting<Object> named = (Setting<Object>) Settings.byName(setting);
            named.check(settingValue(named, value), Spelling.PARAM);
            return true;
        }
    }
}
