package io.glinerspark.source;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.types.ModelLoadException;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** External-data files are found by reading the ONNX file, whatever they are called. */
@Tag("core")
class OnnxExternalDataTest {

    @TempDir
    Path temp;

    @Test
    void locationsComeFromInitializersNodeAttributesAndSubgraphs() throws IOException {
        Path onnx = Files.write(temp.resolve("model.onnx"), TinyOnnx.externalDataEverywhere("weights.bin", "c/const.bin", "then.bin"));

        assertEquals(List.of("c/const.bin", "then.bin", "weights.bin"), OnnxExternalData.locations(onnx));
    }

    @Test
    void aModelWithItsWeightsInsideNamesNoneAndOtherBytesAreNotAModel() throws IOException {
        Path fixture = Path.of(System.getProperty("gliner.repo.root"), "src/test/resources/fixtures/span/model.onnx");
        assertEquals(List.of(), OnnxExternalData.locations(fixture));

        byte[] noise = new byte[10_000];
        new Random(3).nextBytes(noise);
        Path random = Files.write(temp.resolve("noise.onnx"), noise);
        assertThrows(OnnxExternalData.NotOnnxException.class, () -> OnnxExternalData.locations(random));
    }

    @Test
    void onnxRuntimeReadsTheNamedFileWhichTheFingerprintCovers() throws Exception {
        Path bundle = bundle("weights.bin", floats(1.5f, -2f, 3f, 0.25f));

        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(bundle.resolve("model.onnx").toString());
             OrtSession.Result result = session.run(Map.of())) {
            assertArrayEquals(new float[] {1.5f, -2f, 3f, 0.25f}, (float[]) ((OnnxTensor) result.get(0)).getValue());
        }
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "weights.bin", "model.onnx"),
                BundleFingerprint.files(bundle, "model.onnx"));

        String before = BundleFingerprint.of(bundle, "model.onnx");
        Files.write(bundle.resolve("weights.bin"), floats(1.5f, -2f, 3f, 0.5f));
        Files.setLastModifiedTime(bundle.resolve("weights.bin"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertNotEquals(before, BundleFingerprint.of(bundle, "model.onnx"), "changed weights must change the model id");
    }

    @Test
    void namedFilesInASubfolderOfTheOnnxFolderKeepOneFingerprintWhereverTheOnnxFileSits() throws IOException {
        Path atRoot = bundle("data/weights.bin", floats(1, 2, 3, 4));
        Path inOnnx = Files.createDirectories(temp.resolve("nested/onnx/data"));
        Files.copy(atRoot.resolve("model.onnx"), inOnnx.resolveSibling("model.onnx"));
        Files.copy(atRoot.resolve("data/weights.bin"), inOnnx.resolve("weights.bin"));
        Files.copy(atRoot.resolve("gliner_config.json"), temp.resolve("nested/gliner_config.json"));
        Files.copy(atRoot.resolve("tokenizer.json"), temp.resolve("nested/tokenizer.json"));

        assertEquals(List.of("gliner_config.json", "tokenizer.json", "onnx/data/weights.bin", "onnx/model.onnx"),
                BundleFingerprint.files(temp.resolve("nested"), "model.onnx"));
        assertEquals(BundleFingerprint.of(atRoot, "model.onnx"), BundleFingerprint.of(temp.resolve("nested"), "model.onnx"));
    }

    @Test
    void locationsOutsideTheBundleFolderAreRefused() throws IOException {
        Files.write(temp.resolve("secret.bin"), floats(1, 2, 3, 4));
        for (String location : List.of("../secret.bin", temp.resolve("secret.bin").toString(), "a/../../secret.bin")) {
            Path bundle = bundle(location, null);
            ModelSourceException e = assertThrows(ModelSourceException.class, () -> BundleFingerprint.files(bundle, "model.onnx"));
            assertTrue(e.getMessage().contains("'" + location + "' outside its folder"), e.getMessage());
        }
    }

    @Test
    void loadingAModelWhoseDataLiesOutsideItsFolderFailsBeforeOnnxRuntimeReadsIt() throws IOException {
        Path fixture = Path.of(System.getProperty("gliner.repo.root"), "src/test/resources/fixtures/span");
        Files.write(temp.resolve("secret.bin"), floats(1, 2, 3, 4));
        Path bundle = Files.createDirectories(temp.resolve("escaping"));
        Files.copy(fixture.resolve("gliner_config.json"), bundle.resolve("gliner_config.json"));
        Files.copy(fixture.resolve("tokenizer.json"), bundle.resolve("tokenizer.json"));
        Files.write(bundle.resolve("model.onnx"), TinyOnnx.identityOfExternal("../secret.bin", 4));

        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> GlinerModel.load(ModelOptions.defaults().withSource(bundle.toString())));

        assertTrue(e.getMessage().contains("'../secret.bin' outside its folder"), e.getMessage());
    }

    @Test
    void aMissingNamedFileIsAClearError() throws IOException {
        Path bundle = bundle("weights.bin", null);

        ModelSourceException e = assertThrows(ModelSourceException.class, () -> BundleFingerprint.files(bundle, "model.onnx"));

        assertTrue(e.getMessage().contains("keeps tensor data in weights.bin, which is missing"), e.getMessage());
    }

    @Test
    void theHubAndHadoopSourcesFetchTheNamedFile() throws IOException {
        byte[] onnx = TinyOnnx.identityOfExternal("weights.bin", 4);
        byte[] weights = floats(9, 8, 7, 6);
        try (FakeHub hub = new FakeHub()) {
            hub.file("gliner_config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                    .file("tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                    .file("onnx/model.onnx", onnx, true)
                    .file("onnx/weights.bin", weights, true)
                    .file("onnx/other.bin", new byte[] {1}, true);
            Path snapshot = ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", temp.resolve("cache"), hub.settings()).folder();

            assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("onnx/weights.bin")));
            assertTrue(hub.downloadsOf("onnx/other.bin").isEmpty());
            // Offline, the cached copy is complete only with the named file.
            assertEquals(snapshot, ModelSources.locate("hf://" + FakeHub.REPO, "model.onnx", temp.resolve("cache"),
                    hub.settings().withHubOffline(true)).folder());
        }

        Path remote = bundle("weights.bin", weights);
        Path copy = HadoopFolderSource.resolve(remote.toUri().toString(), "model.onnx", temp.resolve("hadoop"),
                Map.of("fs.file.impl", RawLocalFileSystem.class.getName()));
        assertArrayEquals(weights, Files.readAllBytes(copy.resolve("weights.bin")));

        Files.write(remote.resolve("weights.bin"), floats(0, 0, 0, 1));
        Files.setLastModifiedTime(remote.resolve("weights.bin"), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Path changed = HadoopFolderSource.resolve(remote.toUri().toString(), "model.onnx", temp.resolve("hadoop"), Map.of());
        assertNotEquals(copy, changed, "changed weights get a fresh copy");
        assertArrayEquals(floats(0, 0, 0, 1), Files.readAllBytes(changed.resolve("weights.bin")));
    }

    /** A bundle whose ONNX file at the root keeps its weights in {@code location}; null writes no weights file. */
    private Path bundle(String location, byte[] weights) throws IOException {
        Path folder = Files.createTempDirectory(temp, "bundle");
        Files.writeString(folder.resolve("gliner_config.json"), "{}");
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        Files.write(folder.resolve("model.onnx"), TinyOnnx.identityOfExternal(location, 4));
        if (weights != null) {
            Files.createDirectories(folder.resolve(location).getParent());
            Files.write(folder.resolve(location), weights);
        }
        return folder;
    }

    private static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }
}
