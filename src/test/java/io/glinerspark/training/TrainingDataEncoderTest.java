package io.glinerspark.training;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class TrainingDataEncoderTest {

    private static final Path TOKENIZER =
            Path.of(System.getProperty("gliner.repo.root"), "src/test/resources/fixtures/tokenizer.json");

    @Test
    void encodesAFullyLabelledSetAndRefusesAPartiallyLabelledOneNamingTheSentence(@TempDir Path dir) throws Exception {
        Path labelNames = dir.resolve("label_names.json");
        Files.writeString(labelNames, "{\"person\": [\"person\"], \"city\": [\"city\"]}");
        Path full = dir.resolve("full.json");
        Files.writeString(full, "[{\"sentence\": \"Bob met Ann\", \"entities\": ["
                + "{\"name\": \"Bob\", \"type\": \"person\", \"pos\": [0, 3]}]}]");
        TrainingDataEncoder.main(new String[]{"--tokenizer", TOKENIZER.toString(), "--label-names",
                labelNames.toString(), "--out", dir.resolve("out").toString(), "--split", "full",
                "--input", "full=" + full});
        assertTrue(Files.size(dir.resolve("out/full.jsonl.gz")) > 0);

        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "[{\"sentence\": \"Bob met Ann\", \"entities\": []},"
                + "{\"sentence\": \"Bob met Ann\", \"entities\": [], \"types\": [\"city\"]}]");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TrainingDataEncoder.main(new String[]{"--tokenizer", TOKENIZER.toString(), "--label-names",
                        labelNames.toString(), "--out", dir.resolve("out2").toString(), "--split", "partial",
                        "--input", "partial=" + partial}));
        assertTrue(error.getMessage().contains("partial.json") && error.getMessage().contains("sentence 1"),
                error.getMessage());
    }
}
