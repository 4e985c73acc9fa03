package io.glinerspark.source;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class BundleFingerprintTest {

    @TempDir
    Path temp;

    private FakeHub hub;
    private byte[] config;
    private byte[] tokenizer;
    private byte[] model;
    private byte[] modelData;

    @BeforeEach
    void startHub() throws IOException {
        config = "{\"span_mode\": \"markerV0\"}".getBytes(StandardCharsets.UTF_8);
        tokenizer = "{\"model\": {}}".getBytes(StandardCharsets.UTF_8);
        model = randomBytes(50_000, 1);
        modelData = randomBytes(20_000, 2);
        hub = new FakeHub()
                .file("README.md", "# tiny".getBytes(StandardCharsets.UTF_8), false)
                .file("gliner_config.json", config, false)
                .file("tokenizer.json", tokenizer, false)
                .file("tokenizer_config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file("onnx/model.onnx", model, true)
                .file("onnx/model.onnx_data", modelData, true)
                .file("onnx/model_quantized.onnx", randomBytes(10_000, 3), true);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void hubSourcesAndALocalCopyOfTheSameFilesHaveOneFingerprint() throws IOException {
        Path cache = temp.resolve("cache");
        Path snapshot = ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", cache, hub.settings()).folder();
        Path onMain = ModelSources.locate("hf://" + FakeHub.REPO + "@main", "model.onnx", cache, hub.settings()).folder();
        Path local = localCopy("copy");

        String fingerprint = BundleFingerprint.of(snapshot, "model.onnx");
        assertTrue(fingerprint.matches("[0-9a-f]{64}"), fingerprint);
        assertEquals(fingerprint, BundleFingerprint.of(onMain, "model.onnx"));
        assertEquals(fingerprint, BundleFingerprint.of(local, "model.onnx"), "the ONNX file's folder does not matter");

        ResolvedModel onMainResolved = ModelSources.locate("hf://" + FakeHub.REPO + "@main", "model.onnx", cache,
                hub.settings());
        assertEquals(new ResolvedModel(onMain, FakeHub.COMMIT), onMainResolved);
        assertEquals(FakeHub.COMMIT, ModelSources.locate(snapshot.toString(), "model.onnx", cache, hub.settings())
                .revision(), "a snapshot folder named as a local source keeps its commit");
        ResolvedModel localResolved = ModelSources.locate(local.toString(), "model.onnx", cache, hub.settings());
        assertNull(localResolved.revision());
        assertEquals("hf://" + FakeHub.REPO + "@" + FakeHub.COMMIT,
                ModelSources.pinnedSource("hf://" + FakeHub.REPO + "@main", onMainResolved));
        assertEquals(local.toString(), ModelSources.pinnedSource(local.toString(), localResolved));
    }

    @Test
    void aLoadedModelFromTheHubAndFromALocalCopyHasOneId() throws IOException {
        Path fixture = Path.of(System.getProperty("gliner.repo.root"), "src/test/resources/fixtures/span");
        try (FakeHub fixtureHub = new FakeHub()) {
            for (String file : List.of("gliner_config.json", "tokenizer.json", "model.onnx")) {
                fixtureHub.file(file, Files.readAllBytes(fixture.resolve(file)), !file.endsWith(".json"));
            }
            Path cache = temp.resolve("cache");
            Path latest = ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", cache, fixtureHub.settings()).folder();
            Path onMain = ModelSources.locate("hf://" + FakeHub.REPO + "@main", "model.onnx", cache, fixtureHub.settings()).folder();
            try (GlinerModel fromHub = GlinerModel.load(ModelOptions.defaults().withSource(latest.toString()));
                 GlinerModel fromBranch = GlinerModel.load(ModelOptions.defaults().withSource(onMain.toString()));
                 GlinerModel local = GlinerModel.load(ModelOptions.defaults().withSource(fixture.toString()))) {
                assertEquals(local.info().id(), fromHub.info().id());
                assertEquals(local.info().id(), fromBranch.info().id());
                assertEquals(local.info().fingerprint(), fromHub.info().fingerprint());
                assertEquals(FakeHub.COMMIT, fromHub.info().revision());
                assertNull(local.info().revision());
                assertTrue(local.info().id().matches("gliner-fixture-minilm-uncased-[0-9a-f]{16}"), local.info().id());
            }
        }
    }

    @Test
    void onlyTheFilesTheModelUsesCountInFixedOrder() throws IOException {
        Path local = localCopy("copy");
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "model.onnx_data", "model.onnx"),
                BundleFingerprint.files(local, "model.onnx"));
        String before = BundleFingerprint.of(local, "model.onnx");
        Files.writeString(local.resolve("README.md"), "changed, and not part of the model");
        Files.writeString(local.resolve("tokenizer_config.json"), "{\"changed\": true}");
        assertEquals(before, BundleFingerprint.of(local, "model.onnx"));
        assertNotEquals(before, BundleFingerprint.of(local, "model_quantized.onnx"));
    }

    @Test
    void oneChangedByteOfTheOnnxFileChangesTheFingerprint() throws IOException {
        Path local = localCopy("copy");
        String before = BundleFingerprint.of(local, "model.onnx");
        byte[] changed = model.clone();
        changed[12_345] ^= 1;
        Files.write(local.resolve("model.onnx"), changed);
        Files.setLastModifiedTime(local.resolve("model.onnx"),
                FileTime.fromMillis(Files.getLastModifiedTime(local.resolve("model.onnx")).toMillis() + 5_000));
        assertNotEquals(before, BundleFingerprint.of(local, "model.onnx"));
    }

    @Test
    void incompleteBundleIsAClearError() throws IOException {
        Path local = localCopy("copy");
        Files.delete(local.resolve("tokenizer.json"));
        ModelSourceException error = assertThrows(ModelSourceException.class, () -> BundleFingerprint.of(local, "model.onnx"));
        assertTrue(error.getMessage().contains("missing tokenizer.json"), error.getMessage());
    }

    /** The bundle's files in a plain folder, the ONNX file at the root, with files that are not part of it. */
    private Path localCopy(String name) throws IOException {
        Path folder = Files.createDirectories(temp.resolve(name));
        Files.write(folder.resolve("gliner_config.json"), config);
        Files.write(folder.resolve("tokenizer.json"), tokenizer);
        Files.write(folder.resolve("model.onnx"), model);
        Files.write(folder.resolve("model.onnx_data"), modelData);
        Files.write(folder.resolve("model_quantized.onnx"), randomBytes(10_000, 4));
        Files.writeString(folder.resolve("README.md"), "# local");
        return folder;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
