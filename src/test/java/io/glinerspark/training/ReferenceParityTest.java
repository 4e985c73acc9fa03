package io.glinerspark.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The default model's trained weights (models/default-weights.onnx), converted into the reference GLiNER
 * library's own layout and run by that library (PyTorch, offline), give exactly the entities our engine gives with
 * the float32 graph of the same weights, on real corpus texts. Needs the reference venv (training/work/venv-reference, made by training/reference_parity.sh
 * from training/requirements-reference.txt) and the corpus under ../shared/data; skipped when either is absent.
 * The same holds with label descriptions: the library given a mapping of label to description, our engine the same
 * descriptions, find the same entities under the same labels.
 */
@Tag("tools")
class ReferenceParityTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath();
    private static final int TEXTS = 8;

    /** Descriptions for three of the four default labels; {@code date} stays prompted as itself. */
    static final String DESCRIPTIONS = "{\"person\": \"name of a person\", \"organization\": \"company, agency or "
            + "institution\", \"location\": \"city, country or other place\"}";

    @Test
    void referenceLibraryAndEngineFindTheSameEntities() throws Exception {
        parity(null);
    }

    @Test
    void referenceLibraryAndEngineFindTheSameEntitiesWithLabelDescriptions() throws Exception {
        parity(DESCRIPTIONS);
    }

    private static void parity(String descriptions) throws Exception {
        Path python = ROOT.resolve("training/work/venv-reference/bin/python");
        Assumptions.assumeTrue(Files.isExecutable(python),
                "reference venv missing: run training/reference_parity.sh once to create training/work/venv-reference");
        Assumptions.assumeTrue(ToolRuns.probe(python, "import gliner, torch, onnx, safetensors"),
                "reference venv incomplete: gliner/torch/onnx/safetensors do not import");
        Path corpus = ROOT.resolve("../shared/data/corpus");
        Assumptions.assumeTrue(Files.isRegularFile(corpus.resolve("en_docs.jsonl"))
                        && Files.isRegularFile(corpus.resolve("en_sentences.jsonl")),
                "corpus ../shared/data/corpus/en_docs.jsonl and en_sentences.jsonl absent");

        Path out = Files.createTempDirectory("reference-parity");
        try {
            runParity(out, descriptions);
        } finally {
            ToolRuns.deleteTree(out);
        }
    }

    private static void runParity(Path out, String descriptions) throws IOException, InterruptedException {
        Path log = out.resolve("parity.log");
        Path result = out.resolve("parity.json");
        ProcessBuilder builder = new ProcessBuilder("bash", "training/reference_parity.sh")
                .directory(ROOT.toFile())
                .redirectError(log.toFile())
                .redirectOutput(result.toFile());
        builder.environment().putAll(Map.of("TEXTS", String.valueOf(TEXTS), "SHIPPED", "0",
                "SKIP_INSTALL", "1", "OUT", out.resolve("work").toString()));
        if (descriptions != null) {
            builder.environment().put("DESCRIPTIONS", descriptions);
        }
        Process parity = builder.start();
        parity.getOutputStream().close();
        if (!parity.waitFor(10, TimeUnit.MINUTES)) {
            parity.destroyForcibly();
            fail("training/reference_parity.sh did not finish in 10 minutes; log:\n" + Files.readString(log));
        }
        assertEquals(0, parity.exitValue(), () -> "training/reference_parity.sh failed:\n" + ToolRuns.readQuietly(log));

        List<String> lines = Files.readAllLines(result);
        JsonNode figures = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(TEXTS, figures.get("texts").asInt());
        assertTrue(figures.get("entities").asInt() > 0, "the texts must hold entities for the check to mean anything");
        assertEquals(TEXTS, figures.get("identical").asInt(),
                () -> "texts whose entities differ from the reference library's:\n" + ToolRuns.readQuietly(log));
        assertTrue(figures.get("max_score_diff").asDouble() < 1e-4, figures::toString);
    }
}
