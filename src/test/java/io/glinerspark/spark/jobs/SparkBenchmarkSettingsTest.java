package io.glinerspark.spark.jobs;

import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
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
            assertEquals(setting.parse(good, Spelling.OPTION), transformer.getSetting(setting), setting.name());
            checked++;
        }
        assertEquals(Settings.inGroup(Group.MODEL).size() + Settings.inGroup(Group.DECODING).size(), checked);
        var transformer = SparkBenchmark.transformer(SettingValues.of(Map.of("labels", "drug, disease"),
                Spelling.OPTION));
        assertEquals(List.of("drug", "disease"), Arrays.asList(transformer.getOrDefault(transformer.labels())));
    }
}
