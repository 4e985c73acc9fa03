package io.glinerspark.spark.jobs;

import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.settings.WriteMode;
import io.glinerspark.spark.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
class ExtractJobOptionsTest {

    @Test
    void defaultsPointAtTheSampleCorpusAndTheBundledModel() {
        Path home = TestSpark.tempDir("home");
        ExtractJobOptions options = ExtractJobOptions.parse(List.of(), Map.of(), home);
        assertEquals(home.resolve("jobs/sample/docs.jsonl").toString(), options.get(Settings.INPUT));
        assertEquals("default", options.get(Settings.MODEL));
        assertEquals(WriteMode.MERGE, options.get(Settings.MODE));
        assertEquals(List.of("person", "organization", "location", "date", "product"), options.get(Settings.LABELS));
    }

    @Test
    void everyJobSettingIsReadUnderItsNameFromEachSourceWithTheRegistryDefault() throws IOException {
        Path home = TestSpark.tempDir("home");
        ExtractJobOptions none = ExtractJobOptions.parse(List.of(), Map.of(), home);
        Path file = TestSpark.tempDir("conf").resolve("one.conf");
        for (Setting<?> setting : Settings.readBy(FrontEnd.EXTRACT_JOB)) {
            assertTrue(setting.readBy(FrontEnd.SPARK_CONF), setting.name());
            if (setting != Settings.INPUT) {
                assertEquals(setting.defaultValue(), none.get(setting), setting.name());
            }
            String good = SettingSamples.GOOD.get(setting.name());
            Object expected = setting.parse(good, Spelling.OPTION);
            String key = Settings.PREFIX + setting.name();
            assertEquals(expected, ExtractJobOptions.parse(List.of("--" + setting.name(), good), Map.of(), home)
                    .get(setting), setting.name());
            assertEquals(expected, ExtractJobOptions.parse(List.of("--" + setting.name() + "=" + good), Map.of(), home)
                    .get(setting), setting.name());
            assertEquals(expected, ExtractJobOptions.parse(List.of(key + "=" + good), Map.of(), home).get(setting),
                    setting.name());
            assertEquals(expected, ExtractJobOptions.parse(List.of(), Map.of(key, good), home).get(setting),
                    setting.name());
            Files.writeString(file, key + "=" + good + "\n");
            assertEquals(expected, ExtractJobOptions.parse(List.of("--conf-file", file.toString()), Map.of(), home)
                    .get(setting), setting.name());
        }
    }

    @Test
    void aBadValueOfEachSettingNamesItsKey() {
        Path home = TestSpark.tempDir("home");
        for (Setting<?> setting : Settings.readBy(FrontEnd.EXTRACT_JOB)) {
            SettingSamples.Bad bad = SettingSamples.BAD.get(setting.name());
            ExtractJobOptions options = ExtractJobOptions.parse(List.of("--" + setting.name(), bad.value()), Map.of(),
                    home);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> options.get(setting));
            assertTrue(error.getMessage().startsWith("spark.gliner." + setting.name() + ": " + bad.message()),
                    error.getMessage());
        }
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
        assertEquals(0.7, options.get(Settings.THRESHOLD));
        assertEquals(List.of("disease"), options.get(Settings.LABELS));
        assertEquals(WriteMode.APPEND, options.get(Settings.MODE));
        assertEquals("/tmp/x", options.get(Settings.OUTPUT));
        assertEquals(List.of("label"), options.get(Settings.PARTITION_BY));
    }

    @Test
    void explicitConfFileIsRead() throws IOException {
        Path file = TestSpark.tempDir("conf").resolve("job.conf");
        Files.writeString(file, "spark.gliner.textColumns = title, body\n");
        ExtractJobOptions options = ExtractJobOptions.parse(List.of("--conf-file", file.toString()), Map.of(),
                TestSpark.tempDir("home"));
        assertEquals(List.of("title", "body"), options.get(Settings.TEXT_COLUMNS));
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
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExtractJobOptions.parse(List.of(), Map.of("spark.gliner.inputCol", "x"), home))
                .getMessage().contains("spark.gliner.inputCol is not read here"));
        // A cluster's Spark configuration may set what only the SQL function and Transformers read.
        ExtractJobOptions shared = ExtractJobOptions.parse(List.of(), Map.of("spark.gliner.sqlMaxTextChars", "1000",
                "spark.gliner.allowedModelSources", "application"), home);
        assertEquals(Settings.SQL_MAX_TEXT_CHARS.defaultValue(), shared.get(Settings.SQL_MAX_TEXT_CHARS));
    }

    @Test
    void helpListsEveryOption() {
        String help = ExtractJobOptions.help();
        for (Setting<?> setting : Settings.readBy(FrontEnd.EXTRACT_JOB)) {
            assertTrue(help.contains("--" + setting.name() + " "), setting.name());
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
        // Every line of the shipped file, uncommented, states the default: uncommenting one pins nothing.
        for (Setting<?> setting : Settings.readBy(FrontEnd.EXTRACT_JOB)) {
            assertEquals(setting.defaultValue(), options.get(setting), setting.name());
        }
        assertEquals(0, options.get(Settings.BATCH_WORDS));
    }
}
