package io.glinerspark.spark.jobs;

import io.glinerspark.spark.TestSpark;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtractJobOptionsTest {

    @Test
    void defaultsPointAtTheSampleCorpusAndTheBundledModel() {
        Path home = TestSpark.tempDir("home");
        ExtractJobOptions options = ExtractJobOptions.parse(List.of(), Map.of(), home);
        assertEquals(home.resolve("jobs/sample/docs.jsonl").toString(), options.get("input"));
        assertEquals("default", options.get("model"));
        assertEquals("merge", options.get("mode"));
        assertEquals(List.of("person", "organization", "location", "date", "product"), options.list("labels"));
    }

    @Test
    void commandLineBeatsSparkConfBeatsConfFile() throws IOException {
        Path home = TestSpark.tempDir("home");
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/gliner-defaults.conf"),
                "spark.gliner.threshold=0.3\nspark.gliner.labels=drug\nspark.gliner.mode=append\n");
        ExtractJobOptions options = ExtractJobOptions.parse(
                List.of("--threshold", "0.7", "spark.gliner.output=/tmp/x", "--partitionBy=label"),
                Map.of("spark.gliner.labels", "disease", "spark.master", "local"), home);
        assertEquals("0.7", options.get("threshold"));
        assertEquals("disease", options.get("labels"));
        assertEquals("append", options.get("mode"));
        assertEquals("/tmp/x", options.get("output"));
        assertEquals(List.of("label"), options.list("partitionBy"));
    }

    @Test
    void explicitConfFileIsRead() throws IOException {
        Path file = TestSpark.tempDir("conf").resolve("job.conf");
        Files.writeString(file, "spark.gliner.textColumns = title, body\n");
        ExtractJobOptions options = ExtractJobOptions.parse(List.of("--conf-file", file.toString()), Map.of(),
                TestSpark.tempDir("home"));
        assertEquals(List.of("title", "body"), options.list("textColumns"));
    }

    @Test
    void unknownOptionsAndMissingValuesAreErrors() {
        Path home = TestSpark.tempDir("home");
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExtractJobOptions.parse(List.of("--treshold", "0.4"), Map.of(), home))
                .getMessage().contains("unknown option 'treshold'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExtractJobOptions.parse(List.of("--labels"), Map.of(), home))
                .getMessage().contains("--labels needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExtractJobOptions.parse(List.of(), Map.of("spark.gliner.modle", "x"), home))
                .getMessage().contains("unknown option 'modle' (Spark configuration)"));
    }

    @Test
    void helpListsEveryOption() {
        String help = ExtractJobOptions.help();
        for (ExtractJobOptions.Option option : ExtractJobOptions.OPTIONS) {
            assertTrue(help.contains("--" + option.name() + " "), option.name());
        }
    }

    @Test
    void shippedDefaultsFileUsesOnlyKnownKeys() throws IOException {
        Path home = TestSpark.repoRoot();
        String uncommented = Files.readAllLines(home.resolve("conf/gliner-defaults.conf")).stream()
                .filter(l -> l.startsWith("#spark.gliner."))
                .map(l -> l.substring(1))
                .filter(l -> !l.endsWith("="))
                .reduce("", (a, b) -> a + b + "\n");
        Path copy = TestSpark.tempDir("conf").resolve("all.conf");
        Files.writeString(copy, uncommented);
        ExtractJobOptions options = ExtractJobOptions.parse(List.of("--conf-file", copy.toString()), Map.of(), home);
        assertEquals("label", options.get("partitionBy"));
    }
}
