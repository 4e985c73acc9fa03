package io.glinerspark.spark.delta;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.types.LabelSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The incremental key covers every decoding setting without listing them, and stays what it was for stored rows. */
@Tag("spark")
class DocumentFingerprintTest {

    private static final List<String> LABELS = List.of("person", "location");

    @Test
    void theDefaultsKeepTheirStoredFingerprint() {
        assertEquals("608b2dfd8483ed13", DocumentResults.fingerprint(LabelSet.of(LABELS), ExtractionOptions.defaults()));
        ExtractionOptions perLabel = ExtractionOptions.from(SettingValues.of(Map.of("threshold", "0.3", "labelThresholds",
                "person=0.6,a=0.2"), Spelling.PARAM));
        assertEquals("e51b4c9a2ba6c8da", DocumentResults.fingerprint(LabelSet.of(LABELS), perLabel));
    }

    @Test
    void descriptionsChangeTheFingerprintAndLabelsWithoutThemKeepIt() {
        String plain = DocumentResults.fingerprint(LabelSet.of(LABELS), ExtractionOptions.defaults());
        assertEquals(plain, DocumentResults.fingerprint(LabelSet.of(LABELS, Map.of("other", "not a label")),
                ExtractionOptions.defaults()));
        String described = DocumentResults.fingerprint(LabelSet.of(LABELS, Map.of("person", "a human")),
                ExtractionOptions.defaults());
        assertNotEquals(plain, described);
        assertNotEquals(described, DocumentResults.fingerprint(LabelSet.of(LABELS, Map.of("person", "a human being")),
                ExtractionOptions.defaults()));
        assertNotEquals(described, DocumentResults.fingerprint(LabelSet.of(LABELS, Map.of("location", "a human")),
                ExtractionOptions.defaults()));
    }

    @Test
    void everyDecodingSettingChangedFromItsDefaultChangesTheFingerprint() {
        String defaults = DocumentResults.fingerprint(LabelSet.of(LABELS), ExtractionOptions.defaults());
        Set<String> seen = new HashSet<>(Set.of(defaults));
        for (Setting<?> setting : Settings.inGroup(Group.DECODING)) {
            ExtractionOptions changed = ExtractionOptions.from(SettingValues.of(Map.of(setting.name(),
                    SettingSamples.GOOD.get(setting.name())), Spelling.PARAM));
            String fingerprint = DocumentResults.fingerprint(LabelSet.of(LABELS), changed);
            assertNotEquals(defaults, fingerprint, setting.name());
            assertTrue(seen.add(fingerprint), setting.name());
        }
        assertNotEquals(defaults, DocumentResults.fingerprint(LabelSet.of(List.of("location", "person")),
                ExtractionOptions.defaults()));
    }
}
