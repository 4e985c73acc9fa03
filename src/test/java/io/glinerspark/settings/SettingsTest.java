package io.glinerspark.settings;

import io.glinerspark.DeviceSetting;
import io.glinerspark.ExtractionOptions;
import io.glinerspark.ModelOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class SettingsTest {

    @Test
    void everySettingHasOneNameADocAndSamples() {
        Set<String> names = Settings.all().stream().map(Setting::name).collect(Collectors.toSet());
        assertEquals(Settings.all().size(), names.size(), "names are unique");
        assertEquals(names, SettingSamples.GOOD.keySet(), "a good sample per setting");
        assertEquals(names, SettingSamples.BAD.keySet(), "a bad sample per setting");
        for (Setting<?> setting : Settings.all()) {
            assertFalse(setting.doc().isBlank() || setting.doc().contains("\n"), setting.name());
            assertFalse(setting.frontEnds().isEmpty(), setting.name());
            assertEquals(setting, Settings.byName(setting.name()));
        }
    }

    @Test
    void modelSettingsAreStaticAndDecodingSettingsAreTheSqlOptions() {
        assertEquals(List.of("model", "onnxFile", "device", "requireDevice", "intraOpThreads", "batchWords",
                "batchTokens", "rowsPerBlock"), Settings.inGroup(Group.MODEL).stream().map(Setting::name).toList());
        List<Setting<?>> sqlOptions = new java.util.ArrayList<>(Settings.inGroup(Group.DECODING));
        sqlOptions.remove(Settings.THRESHOLD);
        assertEquals(sqlOptions, Settings.readBy(FrontEnd.SQL_OPTIONS));
        for (Setting<?> setting : Settings.inGroup(Group.MODEL)) {
            assertTrue(setting.readBy(FrontEnd.SPARK_CONF) && setting.readBy(FrontEnd.TRANSFORMER), setting.name());
        }
    }

    @Test
    void theRegistryDefaultsAreTheEngineDefaults() {
        Map<String, String> defaults = new HashMap<>();
        for (Setting<?> setting : Settings.all()) {
            if (setting.defaultText() != null) {
                defaults.put(setting.name(), setting.defaultText());
            }
        }
        SettingValues given = SettingValues.of(defaults, Spelling.OPTION);
        assertEquals(ExtractionOptions.defaults(), given.extractionOptions());
        assertEquals(ModelOptions.defaults(), given.modelOptions());
        assertEquals(ModelOptions.defaults().withDevice(DeviceSetting.CPU, false), given.localModelOptions());
        assertEquals(ExtractionOptions.defaults(), SettingValues.of(Map.of(), Spelling.OPTION).extractionOptions());
        assertEquals("auto", SettingValues.of(Map.of(), Spelling.OPTION).modelOptions().device().toString());
        assertEquals(List.of("person", "organization", "location", "date", "product"),
                SettingValues.of(Map.of(), Spelling.OPTION).get(Settings.LABELS));
    }

    @Test
    void everyModelAndDecodingSettingReachesTheEngineOptions() {
        for (Setting<?> setting : Settings.inGroup(Group.MODEL)) {
            if (setting == Settings.ROWS_PER_BLOCK) {
                continue;
            }
            SettingValues given = SettingValues.of(Map.of(setting.name(), SettingSamples.GOOD.get(setting.name())),
                    Spelling.OPTION);
            assertNotEquals(SettingValues.of(Map.of(), Spelling.OPTION).modelOptions(), given.modelOptions(),
                    setting.name());
        }
        for (Setting<?> setting : Settings.inGroup(Group.DECODING)) {
            SettingValues given = SettingValues.of(Map.of(setting.name(), SettingSamples.GOOD.get(setting.name())),
                    Spelling.OPTION);
            assertNotEquals(ExtractionOptions.defaults(), given.extractionOptions(), setting.name());
        }
        SettingValues given = SettingValues.of(Map.of("threshold", "0.3", "labelThresholds", "person=0.6, a=b=0.2",
                "flatNer", "FALSE", "longText", "Truncate", "model", " /m ", "device", "cuda:1", "batchWords", "1000",
                "other", "x"), Spelling.CONF_KEY);
        ExtractionOptions decoding = given.extractionOptions();
        assertEquals(0.3f, decoding.threshold());
        assertEquals(Map.of("person", 0.6f, "a=b", 0.2f), decoding.labelThresholds());
        assertFalse(decoding.flatNer());
        assertEquals(ExtractionOptions.LongTextPolicy.TRUNCATE, decoding.longText());
        ModelOptions model = given.modelOptions();
        assertEquals("/m", model.source());
        assertEquals("cuda:1", model.device().toString());
        assertEquals(1000, model.batchWords());
        assertEquals(0, model.batchTokens());
    }

    @Test
    void decodingSettingsOverrideOnlyWhatTheyGive() {
        ExtractionOptions base = ExtractionOptions.defaults().withThreshold(0.2f).withFlatNer(false);
        ExtractionOptions options = SettingValues.of(Map.of("multiLabel", "true"), Spelling.CONF_KEY)
                .extractionOptions(base);
        assertEquals(base.withMultiLabel(true), options);
    }

    @Test
    void everyBadValueNamesItsSettingInTheFrontEndsSpelling() {
        for (Setting<?> setting : Settings.all()) {
            SettingSamples.Bad bad = SettingSamples.BAD.get(setting.name());
            for (Spelling spelling : Spelling.values()) {
                IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                        () -> SettingValues.of(Map.of(setting.name(), bad.value()), spelling).get(setting));
                assertTrue(error.getMessage().startsWith(spelling.of(setting.name()) + ": " + bad.message()),
                        error.getMessage());
            }
        }
        assertError("threshold", "high", "spark.gliner.threshold: expected a number, got 'high'");
        assertError("labelThresholds", "person=2", "spark.gliner.labelThresholds: threshold for label 'person' "
                + "must be in [0, 1), got 2.0");
        assertError("labelThresholds", "person=x", "spark.gliner.labelThresholds: expected a number after '=' in "
                + "'person=x', got 'person=x'");
        assertError("batchTokens", "-1", "spark.gliner.batchTokens: expected an integer >= 0, got '-1'");
        assertError("rowsPerBlock", "0", "spark.gliner.rowsPerBlock: expected an integer > 0, got '0'");
        assertError("labelsMap", "PER=a,PER=b", "spark.gliner.labelsMap: type PER is mapped twice");
    }

    @Test
    void boundsAreInclusive() {
        SettingValues atBounds = SettingValues.of(Map.of("batchWords", "4194304", "batchTokens", "1048576",
                "intraOpThreads", "256", "rowsPerBlock", "65536"), Spelling.CONF_KEY);
        assertEquals(1 << 22, atBounds.get(Settings.BATCH_WORDS));
        assertEquals(1 << 20, atBounds.get(Settings.BATCH_TOKENS));
        assertEquals(256, atBounds.get(Settings.INTRA_OP_THREADS));
        assertEquals(65536, atBounds.get(Settings.ROWS_PER_BLOCK));
        assertEquals(Settings.MAX_BATCH_WORDS, Settings.BATCH_WORDS.type().max());
    }

    @Test
    void typedValuesAreCheckedLikeText() {
        Settings.THRESHOLD.check(0.99, Spelling.PARAM);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Settings.BATCH_WORDS.check(Settings.MAX_BATCH_WORDS + 1, Spelling.PARAM));
        assertEquals("batchWords: 4194305 is above the upper bound 4194304", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.LONG_TEXT.parse("split", Spelling.PARAM));
    }

    @Test
    void prefixedKeysAreStripped() {
        assertEquals(Map.of("model", "/m"), SettingValues.stripPrefix(Map.of("spark.gliner.model", "/m",
                "spark.master", "local")));
    }

    private static void assertError(String name, String value, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> SettingValues.of(Map.of(name, value), Spelling.CONF_KEY).get(Settings.byName(name)));
        assertEquals(expected, error.getMessage());
    }
}
