package io.glinerspark.spark.eval;

import io.glinerspark.DeviceSetting;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.Settings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class EvaluateArgumentsTest {

    private static EvaluateJob.Arguments parse(String... args) {
        return EvaluateJob.Arguments.parse(args);
    }

    @Test
    void defaultsAreTheRegistrysTheReferenceSettingsAndTheBundledModel() {
        EvaluateJob.Arguments arguments = parse("--data", "d");
        assertEquals(Path.of("d"), arguments.data());
        assertEquals(Settings.THRESHOLD.defaultValue(), arguments.threshold());
        assertEquals(0.5, arguments.threshold());
        assertEquals(Settings.NESTED.defaultValue(), arguments.nested());
        assertFalse(arguments.nested());
        assertEquals(Settings.SPLIT.defaultValue(), arguments.split());
        assertTrue(arguments.labelsMap().isEmpty());
        assertNull(arguments.deltaOut());
        assertEquals(0, arguments.limit());
        // The evaluation runs the model itself: the registry's device auto is the CPU there.
        assertEquals(ModelOptions.defaults().withDevice(DeviceSetting.CPU, false), arguments.modelOptions());
    }

    @Test
    void everyOptionIsRead() {
        EvaluateJob.Arguments arguments = parse("--model", "/m", "--data", "d", "--threshold", "0.3", "--nested",
                "true", "--labelsMap", "PER=person, ORG = organization,creative-work=creative work", "--split", "dev",
                "--deltaOut", "/tmp/results", "--limit", "100", "--device", "cuda:1", "--requireDevice", "true");
        assertEquals("/m", arguments.modelOptions().source());
        assertEquals(0.3, arguments.threshold());
        assertTrue(arguments.nested());
        assertEquals(List.of("PER", "ORG", "creative-work"), List.copyOf(arguments.labelsMap().keySet()));
        assertEquals(List.of("person", "organization", "creative work"), List.copyOf(arguments.labelsMap().values()));
        assertEquals("dev", arguments.split());
        assertEquals("/tmp/results", arguments.deltaOut());
        assertEquals(100, arguments.limit());
        assertEquals("cuda:1", arguments.modelOptions().device().toString());
        assertTrue(arguments.modelOptions().requireDevice());
    }

    @Test
    void everySettingOfTheEvaluationIsAcceptedUnderItsRegistryName() {
        EvaluateJob.Arguments defaults = parse("--data", "d");
        for (Setting<?> setting : Settings.readBy(FrontEnd.EVALUATION)) {
            if (setting == Settings.DATA) {
                continue;
            }
            EvaluateJob.Arguments given = parse("--data", "d", "--" + setting.name(),
                    SettingSamples.GOOD.get(setting.name()));
            assertNotEquals(defaults, given, setting.name());
        }
        assertEquals(Path.of("/data/ner"), parse("--data", SettingSamples.GOOD.get("data")).data());
    }

    @Test
    void badArgumentsAreRejectedWithTheOptionName() {
        assertMessage("--data is required", "--model", "m");
        for (Setting<?> setting : Settings.readBy(FrontEnd.EVALUATION)) {
            SettingSamples.Bad bad = SettingSamples.BAD.get(setting.name());
            assertMessage("--" + setting.name() + ": " + bad.message(), "--data", "d", "--" + setting.name(),
                    bad.value());
        }
        assertMessage("--threshold: expected a number, got 'half'", "--data", "d", "--threshold", "half");
        assertMessage("--labelsMap: type PER is mapped twice", "--data", "d", "--labelsMap", "PER=a,PER=b");
        assertMessage("--model needs a value", "--data", "d", "--model");
        assertMessage("--model needs a value", "--model", "--data", "d");
        assertMessage("unknown option 'flat' (command line)", "--data", "d", "--flat", "x");
        assertMessage("unknown option 'flatNer' (command line): --flatNer is not read here", "--data", "d",
                "--flatNer", "false");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
