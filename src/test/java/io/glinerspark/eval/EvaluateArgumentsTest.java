package io.glinerspark.eval;

import io.glinerspark.ModelOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateArgumentsTest {

    private static EvaluateJob.Arguments parse(String... args) {
        return EvaluateJob.Arguments.parse(args);
    }

    @Test
    void defaultsAreTheReferenceSettingsAndTheBundledModel() {
        EvaluateJob.Arguments arguments = parse("--data", "d");
        assertEquals(Path.of("d"), arguments.data());
        assertEquals(ModelOptions.DEFAULT_SOURCE, arguments.model());
        assertEquals(0.5, arguments.threshold());
        assertFalse(arguments.nested());
        assertEquals("test", arguments.split());
        assertTrue(arguments.labelsMap().isEmpty());
        assertNull(arguments.deltaOut());
        assertEquals(0, arguments.limit());
        assertEquals(ModelOptions.defaults(), arguments.modelOptions());
    }

    @Test
    void everyOptionIsRead() {
        EvaluateJob.Arguments arguments = parse("--model", "/m", "--data", "d", "--threshold", "0.3", "--nested",
                "--labels-map", "PER=person, ORG = organization,creative-work=creative work", "--split", "dev",
                "--delta-out", "/tmp/results", "--limit", "100", "--device", "cuda:1");
        assertEquals("/m", arguments.model());
        assertEquals(0.3, arguments.threshold());
        assertTrue(arguments.nested());
        assertEquals(List.of("PER", "ORG", "creative-work"), List.copyOf(arguments.labelsMap().keySet()));
        assertEquals(List.of("person", "organization", "creative work"), List.copyOf(arguments.labelsMap().values()));
        assertEquals("dev", arguments.split());
        assertEquals("/tmp/results", arguments.deltaOut());
        assertEquals(100, arguments.limit());
        assertEquals("cuda:1", arguments.modelOptions().device());
        assertTrue(arguments.modelOptions().requireDevice());
        assertEquals("/m", arguments.modelOptions().source());
    }

    @Test
    void badArgumentsAreRejectedWithTheOptionName() {
        assertMessage("--data is required", "--model", "m");
        assertMessage("--threshold", "--data", "d", "--threshold", "1.5");
        assertMessage("--threshold", "--data", "d", "--threshold", "half");
        assertMessage("--limit", "--data", "d", "--limit", "0");
        assertMessage("--labels-map", "--data", "d", "--labels-map", "PER");
        assertMessage("mapped twice", "--data", "d", "--labels-map", "PER=a,PER=b");
        assertMessage("--model needs a value", "--data", "d", "--model");
        assertMessage("--model needs a value", "--model", "--data", "d");
        assertMessage("unknown option --flat", "--data", "d", "--flat");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
