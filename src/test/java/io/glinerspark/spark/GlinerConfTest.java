package io.glinerspark.spark;

import io.glinerspark.settings.Settings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
class GlinerConfTest {

    @Test
    void prefixedKeysAreReadThroughTheRegistry() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> GlinerConf.settings(
                Map.of("spark.gliner.threshold", "high", "spark.master", "local")).get(Settings.THRESHOLD));
        assertEquals("spark.gliner.threshold: expected a number, got 'high'", error.getMessage());
        assertEquals("/m", GlinerConf.settings(Map.of("spark.gliner.model", " /m ")).modelOptions().source());
    }

    @Test
    void sessionValuesOfModelSettingsMustMatchTheApplication() {
        GlinerConf.checkModelSettingsUnchanged(GlinerConf.settings(Map.of("spark.gliner.model", "/m")),
                GlinerConf.settings(Map.of("spark.gliner.model", "/m", "spark.gliner.threshold", "0.2")));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GlinerConf.checkModelSettingsUnchanged(GlinerConf.settings(Map.of()),
                        GlinerConf.settings(Map.of("spark.gliner.device", "cuda:3"))));
        assertTrue(error.getMessage().startsWith("spark.gliner.device is set to 'cuda:3' in this session"), error.getMessage());
        assertTrue(error.getMessage().contains("(not set there)"), error.getMessage());
        for (String name : new String[]{"rowsPerBlock", "batchWords", "intraOpThreads", "onnxFile"}) {
            assertThrows(IllegalArgumentException.class, () -> GlinerConf.checkModelSettingsUnchanged(
                    GlinerConf.settings(Map.of()), GlinerConf.settings(Map.of("spark.gliner." + name, "1"))), name);
        }
    }
}
