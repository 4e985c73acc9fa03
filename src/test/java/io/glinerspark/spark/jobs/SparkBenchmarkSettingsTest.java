package io.glinerspark.spark.jobs;

import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
class SparkBenchmarkSettingsTest {

    @Test
    void theDataFramePathGetsEveryModelAndDecodingSettingGiven() {
        int checked = 0;
        for (Setting<?> setting : Settings.readBy(FrontEnd.SPARK_BENCHMARK)) {
            if (setting.group() != Group.MODEL && setting.group() != Group.DECODING) {
                continue;
            }
            assertTrue(setting.readBy(FrontEnd.TRANSFORMER), setting.name());
            String good = SettingSamples.GOOD.get(setting.name());
            var transformer = SparkBenchmark.transformer(SettingValues.of(Map.of(setting.name(), good),
                    Spelling.OPTION));
            Param<?> param = transformer.getParam(setting.name());
            Object value = transformer.getOrDefault(param);
            Object typed = value instanceof Map<?, ?> map ? floats(map) : value;
            assertEquals(setting.parse(good, Spelling.OPTION), typed, setting.name());
            checked++;
        }
        assertEquals(Settings.inGroup(Group.MODEL).size() + Settings.inGroup(Group.DECODING).size(), checked);
        var transformer = SparkBenchmark.transformer(SettingValues.of(Map.of("labels", "drug, disease"),
                Spelling.OPTION));
        assertEquals(List.of("drug", "disease"), Arrays.asList(transformer.getOrDefault(transformer.labels())));
    }

    private static Map<String, Float> floats(Map<?, ?> map) {
        Map<String, Float> result = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> result.put((String) k, ((Number) v).floatValue()));
        return result;
    }
}
