package io.glinerspark.spark.ml;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text form of the transformer's per-label thresholds, which Python and Spark Connect clients set. */
@Tag("spark")
class LabelThresholdsSpecTest {

    @Test
    void textFormGivesTheSameOptionsAsTheMap() {
        GlinerTransformer text = new GlinerTransformer().setLabelThresholdsSpec("person=0.6, drug=0.4");
        GlinerTransformer map = new GlinerTransformer().setLabelThresholds(Map.of("person", 0.6, "drug", 0.4));
        assertEquals(map.extractionOptions().labelThresholds(), text.extractionOptions().labelThresholds());
        assertEquals(0.6f, text.extractionOptions().labelThresholds().get("person"));
    }

    @Test
    void bothFormsAtOnceOrABadTextAreErrorsNamingTheSetting() {
        GlinerTransformer both = new GlinerTransformer().setLabelThresholdsSpec("person=0.6")
                .setLabelThresholds(Map.of("drug", 0.4));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, both::extractionOptions);
        assertTrue(twice.getMessage().contains("labelThresholdsSpec"), twice.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new GlinerTransformer().setLabelThresholdsSpec("person").extractionOptions());
        assertTrue(bad.getMessage().contains("labelThresholds"), bad.getMessage());
    }

    @Test
    void bothFormsAreReadByTheRegistry() {
        GlinerTransformer text = new GlinerTransformer().setLabelThresholdsSpec("location=0.99, a=b=0.2");
        assertEquals(Map.of("location", 0.99f, "a=b", 0.2f), text.extractionOptions().labelThresholds());
        GlinerTransformer map = new GlinerTransformer().setLabelThresholds(Map.of("person", 0.99));
        assertEquals(Map.of("person", 0.99f), map.extractionOptions().labelThresholds());
        assertEquals(Map.of(), new GlinerTransformer().extractionOptions().labelThresholds());
    }
}
