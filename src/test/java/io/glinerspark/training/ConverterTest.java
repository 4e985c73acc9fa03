package io.glinerspark.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * jobs/convert.sh on models the reference GLiNER library builds itself (random weights, local backbones, no hub;
 * uni-encoders on a BERT and a DeBERTa-v3 backbone, and a bi-encoder with its own labels encoder):
 * the converted bundle's float32 graph gives, in our engine, exactly the entities the library's predict_entities
 * gives on real corpus texts; and models the engine cannot run are refused with the gliner_config.json field
 * named. The parity needs the reference venv (training/work/venv-reference, from training/requirements-reference.txt),
 * the ONNX tools venv (training/work/venv-onnx) and ../shared/data; skipped when one is absent.
 */
@Tag("tools")
class ConverterTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath();
    private static final int TEXTS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"bert", "deberta", "xlmr", "bi"})
    void convertedModelFindsTheReferenceLibrarysEntities(String backbone, @TempDir Path out) throws Exception {
        Path python = ROOT.resolve("training/work/venv-reference/bin/python");
        Assumptions.assumeTrue(Files.isExecutable(python),
                "reference venv missing: run training/converter_parity.sh once to create training/work/venv-reference");
        Assumptions.assumeTrue(ToolRuns.probe(python, "import gliner, torch, onnx, sentencepiece, tokenizers"),
                "reference venv incomplete: gliner/torch/onnx/sentencepiece/tokenizers do not import");
        Path onnxPython = ROOT.resolve("training/work/venv-onnx/bin/python");
        Assumptions.assumeTrue(Files.isExecutable(onnxPython) && ToolRuns.probe(onnxPython, "import onnx, onnxruntime"),
                "ONNX tools venv missing: run training/converter_parity.sh once to create training/work/venv-onnx");
        Path corpus = ROOT.resolve("../shared/data/corpus");
        Assumptions.assumeTrue(Files.isRegularFile(corpus.resolve("en_docs.jsonl"))
                        && Files.isRegularFile(corpus.resolve("en_sentences.jsonl")),
                "corpus ../shared/data/corpus/en_docs.jsonl and en_sentences.jsonl absent");
        Assumptions.assumeTrue(!backbone.equals("xlmr") || Files.isRegularFile(corpus.resolve("multi_sentences.jsonl")),
                "corpus ../shared/data/corpus/multi_sentences.jsonl absent (the multilingual backbone's texts)");

        Path log = out.resolve("parity.log");
        Path result = out.resolve("parity.json");
        int exit = run(List.of("bash", "training/converter_parity.sh", backbone),
                Map.of("TEXTS", String.valueOf(TEXTS), "SKIP_INSTALL", "1", "OUT", out.resolve("work").toString()),
                log, result, 15);
        try {
            assertEquals(0, exit, () -> "training/converter_parity.sh failed:\n" + ToolRuns.readQuietly(log));
            List<String> lines = Files.readAllLines(result);
            JsonNode figures = JSON.readTree(lines.get(lines.size() - 1));
            assertEquals(TEXTS, figures.get("texts").asInt());
            assertTrue(figures.get("entities").asInt() > TEXTS, "the texts must hold entities for the check to mean anything");
            assertEquals(TEXTS, figures.get("identical").asInt(),
                    () -> "texts whose entities differ from the reference library's:\n" + ToolRuns.readQuietly(log));
            assertTrue(figures.get("max_score_diff").asDouble() < 1e-4, figures::toString);
            assertTrue(figures.get("graphs").toString().contains("model.onnx"), figures::toString);
            assertTrue(figures.get("cpu_graph").has("identical"), () -> "no CPU graph agreement: " + figures);
            assertTrue(figures.get("gpu_graph").has("identical"), () -> "no GPU graph agreement: " + figures);
            if (backbone.equals("bi")) {
                Path bundle = out.resolve("work/bundle");
                assertTrue(Files.isRegularFile(bundle.resolve("labels_encoder.onnx"))
                        && Files.isRegularFile(bundle.resolve("labels_tokenizer.json")), figures::toString);
                assertTrue(Files.readString(bundle.resolve("bundle.txt")).contains("  labels_encoder.onnx\n"),
                        figures::toString);
                assertTrue(figures.get("bi_graphs").get("max_logit_diff").asDouble() < 1e-4, figures::toString);
            } else {
                assertFalse(figures.has("bi_graphs"), figures::toString);
            }
        } finally {
            ToolRuns.deleteTree(out.resolve("work"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"labels_decoder", "relations_layer", "triples_layer"})
    void modelsTheEngineCannotRunAreRefusedNamingTheField(String field, @TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("gliner_config.json"), JSON.writeValueAsString(Map.of(
                "model_name", "microsoft/deberta-v3-small", "span_mode", "markerV0", field, "some-model")));
        Files.writeString(model.resolve("pytorch_model.bin"), "");
        Path log = dir.resolve("convert.log");
        int exit = run(List.of("bash", "jobs/convert.sh", model.toString(), dir.resolve("out").toString()),
                Map.of("SKIP_INSTALL", "1"), log, dir.resolve("convert.out"), 2);
        String message = Files.readString(log);
        assertEquals(4, exit, message);
        assertTrue(message.contains(field + " is set"), message);
        assertFalse(Files.exists(dir.resolve("out/model.onnx")), "nothing may be written for a refused model");
    }

    @Test
    void aBiEncoderPassesTheRefusalsButALabelDecoderBesideItDoesNot(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("pytorch_model.bin"), "");
        Map<String, Object> config = Map.of("model_name", "microsoft/deberta-v3-small", "span_mode", "markerV0",
                "labels_encoder", "BAAI/bge-small-en-v1.5");
        Files.writeString(model.resolve("gliner_config.json"), JSON.writeValueAsString(config));
        Path log = dir.resolve("check.log");
        List<String> check = List.of("python3", "training/convert_reference.py", "check", model.toString());
        assertEquals(0, run(check, Map.of(), log, dir.resolve("check.out"), 1), () -> ToolRuns.readQuietly(log));

        // The library runs a model with both as a label decoder (it ignores labels_encoder then): still refused.
        Map<String, Object> both = new HashMap<>(config);
        both.put("labels_decoder", "gpt2");
        Files.writeString(model.resolve("gliner_config.json"), JSON.writeValueAsString(both));
        assertEquals(4, run(check, Map.of(), log, dir.resolve("check.out"), 1), () -> ToolRuns.readQuietly(log));
        assertTrue(Files.readString(log).contains("labels_decoder is set"), () -> ToolRuns.readQuietly(log));
    }

    @Test
    void aFolderWithoutWeightsIsRefused(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("gliner_config.json"), "{\"span_mode\": \"markerV0\"}");
        Path log = dir.resolve("convert.log");
        int exit = run(List.of("bash", "jobs/convert.sh", model.toString(), dir.resolve("out").toString()),
                Map.of("SKIP_INSTALL", "1"), log, dir.resolve("convert.out"), 2);
        String message = Files.readString(log);
        assertEquals(4, exit, message);
        assertTrue(message.contains("pytorch_model.bin") && message.contains("model.safetensors"), message);
    }

    private static int run(List<String> command, Map<String, String> env, Path log, Path stdout, int minutes)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectError(log.toFile()).redirectOutput(stdout.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(command + " did not finish in " + minutes + " minutes; log:\n" + ToolRuns.readQuietly(log));
        }
        return process.exitValue();
    }
}
