package io.glinerspark.spark;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.ModelOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlinerConfTest {

    @Test
    void settingsBecomeCoreOptions() {
        Map<String, String> settings = GlinerConf.stripPrefix(Map.of(
                "spark.gliner.threshold", "0.3", "spark.gliner.labelThresholds", "person=0.6, a=b=0.2",
                "spark.gliner.flatNer", "FALSE", "spark.gliner.longText", "truncate", "spark.gliner.model", " /m ",
                "spark.gliner.device", "cuda:1", "spark.gliner.batchWords", "1000", "spark.other", "x"));
        ExtractionOptions decoding = GlinerConf.extractionOptions(settings, ExtractionOptions.defaults());
        assertEquals(0.3f, decoding.threshold());
        assertEquals(Map.of("person", 0.6f, "a=b", 0.2f), decoding.labelThresholds());
        assertEquals(false, decoding.flatNer());
        assertEquals(ExtractionOptions.LongTextPolicy.TRUNCATE, decoding.longText());
        ModelOptions model = GlinerConf.modelOptions(settings);
        assertEquals("/m", model.source());
        assertEquals("cuda:1", model.device());
        assertEquals(1000, model.batchWords());
        assertEquals(ModelOptions.defaults().batchTokens(), model.batchTokens());
    }

    @Test
    void everyBadValueNamesItsSetting() {
        assertError(Map.of("threshold", "high"), "spark.gliner.threshold: expected a number, got 'high'");
        assertError(Map.of("threshold", "1.5"), "spark.gliner.threshold: threshold must be in [0, 1)");
        assertError(Map.of("labelThresholds", "person"), "spark.gliner.labelThresholds: expected entries of the form");
        assertError(Map.of("labelThresholds", "person=2"), "spark.gliner.labelThresholds: threshold for label 'person'");
        assertError(Map.of("longText", "split"), "spark.gliner.longText: expected one of chunk, truncate, fail, got 'split'");
        assertError(Map.of("windowOverlap", "-1"), "spark.gliner.windowOverlap: expected an integer >= 0");
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
                () -> GlinerConf.modelOptions(Map.of("batchTokens", "-1")));
        assertTrue(model.getMessage().startsWith("spark.gliner.batchTokens: expected an integer >= 0"), model.getMessage());
    }

    @Test
    void budgetsHaveUpperBoundsNamedInTheError() {
        assertBound(Map.of("batchWords", "4194305"), "spark.gliner.batchWords: 4194305 is above the upper bound 4194304");
        assertBound(Map.of("batchTokens", "1048577"), "spark.gliner.batchTokens: 1048577 is above the upper bound 1048576");
        assertBound(Map.of("intraOpThreads", "257"), "spark.gliner.intraOpThreads: 257 is above the upper bound 256");
        assertEquals(1 << 22, GlinerConf.modelOptions(Map.of("batchWords", "4194304")).batchWords());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> GlinerConf.rowsPerBlock(Map.of("rowsPerBlock", "65537")));
        assertEquals("spark.gliner.rowsPerBlock: 65537 is above the upper bound 65536", rows.getMessage());
        assertEquals(65536, GlinerConf.rowsPerBlock(Map.of("rowsPerBlock", "65536")));
    }

    @Test
    void sessionValuesOfModelSettingsMustMatchTheApplication() {
        GlinerConf.checkModelSettingsUnchanged(Map.of("model", "/m"), Map.of("model", "/m", "threshold", "0.2"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GlinerConf.checkModelSettingsUnchanged(Map.of(), Map.of("device", "cuda:3")));
        assertTrue(error.getMessage().startsWith("spark.gliner.device is set to 'cuda:3' in this session"), error.getMessage());
        assertTrue(error.getMessage().contains("(not set there)"), error.getMessage());
    }

    private static void assertBound(Map<String, String> settings, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> GlinerConf.modelOptions(settings));
        assertEquals(expected, error.getMessage());
    }

    private static void assertError(Map<String, String> settings, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GlinerConf.extractionOptions(settings, ExtractionOptions.defaults()));
        assertTrue(error.getMessage().startsWith(expected), error.getMessage());
    }
}
