package io.glinerspark;

import io.glinerspark.ExtractionOptions.LongTextPolicy;
import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.types.TokenScore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The options records are built from the settings registry, which alone holds their defaults. */
@Tag("core")
class ExtractionOptionsSettingsTest {

    @Test
    void eachComponentIsADecodingSettingAndEachDecodingSettingAComponent() {
        List<String> components = Arrays.stream(ExtractionOptions.class.getRecordComponents())
                .map(RecordComponent::getName).sorted().toList();
        List<String> decoding = Settings.inGroup(Group.DECODING).stream().map(Setting::name).sorted().toList();
        assertEquals(decoding, components);
    }

    @Test
    void defaultsAreTheRegistrys() {
        assertEquals(new ExtractionOptions(0.5f, Map.of(), true, false, TokenScore.MIN, LongTextPolicy.CHUNK, 50),
                ExtractionOptions.defaults());
        ModelOptions model = ModelOptions.defaults();
        assertEquals(Settings.MODEL.defaultValue(), model.source());
        assertEquals(Settings.ONNX_FILE.defaultValue(), model.onnxFile());
        assertEquals(DeviceSetting.AUTO, model.device());
        assertEquals(0, model.batchWords());
        assertEquals(0, model.batchTokens());
    }

    @Test
    void eachDecodingSettingGivenChangesItsComponentAndTheCanonicalForm() {
        ExtractionOptions defaults = ExtractionOptions.defaults();
        for (Setting<?> setting : Settings.inGroup(Group.DECODING)) {
            String sample = SettingSamples.GOOD.get(setting.name());
            ExtractionOptions given = SettingValues.of(Map.of(setting.name(), sample), Spelling.PARAM)
                    .extractionOptions();
            assertNotEquals(defaults, given, setting.name());
            assertNotEquals(defaults.canonical(), given.canonical(), setting.name());
            assertEquals(given, SettingValues.of(Map.of(setting.name(), sample), Spelling.PARAM)
                    .extractionOptions(defaults), setting.name());
        }
    }

    @Test
    void givenSettingsGoOnTopOfABase() {
        ExtractionOptions base = ExtractionOptions.defaults().withThreshold(0.7f).withLongText(LongTextPolicy.FAIL);
        ExtractionOptions options = SettingValues.of(Map.of("tokenScore", "MEAN"), Spelling.PARAM)
                .extractionOptions(base);
        assertEquals(base.withTokenScore(TokenScore.MEAN), options);
    }

    @Test
    void theCanonicalFormListsEveryComponentInOrder() {
        assertEquals("threshold=0.5\nlabelThresholds={}\nflatNer=true\nmultiLabel=false\ntokenScore=MIN\n"
                + "longText=CHUNK\nwindowOverlap=50", ExtractionOptions.defaults().canonical());
        assertEquals(ExtractionOptions.defaults().withLabelThresholds(Map.of("b", 0.2f, "a", 0.3f)).canonical(),
                ExtractionOptions.defaults().withLabelThresholds(Map.of("a", 0.3f, "b", 0.2f)).canonical());
    }
}
