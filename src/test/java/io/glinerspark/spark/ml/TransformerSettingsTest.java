package io.glinerspark.spark.ml;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.types.TokenScore;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Transformer's parameters are the registry's settings: name, doc, default and validation. */
@Tag("spark")
class TransformerSettingsTest {

    @Test
    void everySettingOfTheTransformerIsAParamWithTheRegistrysNameDocAndDefault() {
        GlinerTransformer transformer = new GlinerTransformer();
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            Param<?> param = transformer.getParam(setting.name());
            assertEquals(setting.doc(), param.doc(), setting.name());
            assertEquals(setting.defaultValue() != null, transformer.hasDefault(param), setting.name());
            if (setting.defaultValue() != null) {
                assertEquals(setting.defaultValue(), transformer.getSetting(setting), setting.name());
            }
        }
        assertEquals(ExtractionOptions.defaults(), transformer.extractionOptions());
        assertEquals(SettingValues.of(Map.of(), Spelling.PARAM).modelOptions(), transformer.modelOptions());
    }

    @Test
    void setSettingsSetsEveryParamFromItsText() {
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            String good = SettingSamples.GOOD.get(setting.name());
            GlinerTransformer transformer = new GlinerTransformer()
                    .setSettings(SettingValues.of(Map.of(setting.name(), good), Spelling.OPTION));
            Param<?> param = transformer.getParam(setting.name());
            assertTrue(transformer.isSet(param), setting.name());
            assertEquals(setting.parse(good, Spelling.OPTION), transformer.getSetting(setting),
                    setting.name());
        }
        GlinerTransformer ignoring = new GlinerTransformer()
                .setSettings(SettingValues.of(Map.of("mode", "append", "corpus", "x"), Spelling.OPTION));
        for (Param<?> param : ignoring.params()) {
            assertFalse(ignoring.isSet(param), param.name());
        }
    }

    @Test
    void aBadValueOfEachSettingIsRefusedNamingTheParam() {
        for (Setting<?> setting : Settings.readBy(FrontEnd.TRANSFORMER)) {
            SettingSamples.Bad bad = SettingSamples.BAD.get(setting.name());
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new GlinerTransformer()
                    .setSettings(SettingValues.of(Map.of(setting.name(), bad.value()), Spelling.PARAM)));
            assertTrue(error.getMessage().startsWith(setting.name() + ": " + bad.message()), error.getMessage());
        }
        assertRefused("batchWords: 4194305 is above the upper bound 4194304",
                () -> new GlinerTransformer().setBatchWords(Settings.MAX_BATCH_WORDS + 1));
        assertRefused("batchTokens: 1048577 is above the upper bound 1048576",
                () -> new GlinerTransformer().setBatchTokens(Settings.MAX_BATCH_TOKENS + 1));
        assertRefused("rowsPerBlock: expected an integer > 0, got '0'", () -> new GlinerTransformer().setRowsPerBlock(0));
        assertRefused("intraOpThreads: 257 is above the upper bound 256",
                () -> new GlinerTransformer().setIntraOpThreads(257));
        assertRefused("threshold: expected a number in [0, 1), got '1.5'", () -> new GlinerTransformer().setThreshold(1.5));
        assertRefused("longText: expected one of chunk, truncate, fail, got 'split'",
                () -> new GlinerTransformer().setLongText("split"));
        assertRefused("device: expected auto, cpu, cuda or cuda:N, got 'gpu'", () -> new GlinerTransformer().setDevice("gpu"));
        assertRefused("labelThresholds: threshold for label 'drug' must be in [0, 1)",
                () -> new GlinerTransformer().setLabelThresholds(Map.of("drug", 2.0)));
        assertRefused("labelThresholds: expected entries of the form label=threshold",
                () -> new GlinerTransformer().setInputCol("text").setLabels("x").setLabelThresholdsSpec("drug")
                        .extractionOptions());
    }

    @Test
    void paramsBecomeTheEngineOptions() {
        GlinerTransformer transformer = new GlinerTransformer().setSettings(SettingValues.of(Map.of("model", "/m",
                "device", "cuda:1", "batchWords", "1000", "threshold", "0.3", "labelThresholds", "a=0.6",
                "longText", "fail", "tokenScore", "mean"), Spelling.PARAM));
        ModelOptions model = transformer.modelOptions();
        assertEquals("/m", model.source());
        assertEquals("cuda:1", model.device().toString());
        assertEquals(1000, model.batchWords());
        ExtractionOptions decoding = transformer.extractionOptions();
        assertEquals(0.3f, decoding.threshold());
        assertEquals(Map.of("a", 0.6f), decoding.labelThresholds());
        assertEquals(ExtractionOptions.LongTextPolicy.FAIL, decoding.longText());
        assertEquals(TokenScore.MEAN, decoding.tokenScore());
    }

    private static void assertRefused(String expected, Supplier<Object> set) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, set::get);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
