package io.glinerspark;

import io.glinerspark.bundle.ModelBundle;
import io.glinerspark.runtime.Device;
import io.glinerspark.runtime.InferenceSession;
import io.glinerspark.runtime.OrtBuild;
import io.glinerspark.runtime.SessionCache;
import io.glinerspark.runtime.SessionSpec;
import io.glinerspark.settings.DeviceSetting;
import io.glinerspark.source.BundleFingerprint;
import io.glinerspark.source.BundleGraphs;
import io.glinerspark.source.ModelSources;
import io.glinerspark.source.SourceSettings;
import io.glinerspark.types.ModelLoadException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bundle with a CPU graph and a GPU graph: which graph a session loads on which device. The GPU graph of these
 * bundles is not an ONNX model at all, so a session that loaded it would fail: every session that succeeds here
 * loaded the CPU graph. Without a GPU, what a CUDA session would load is checked through {@link BundleGraphs#forDevice},
 * the one mapping from device to graph that the engine uses; that a CUDA session really runs the GPU graph needs a GPU.
 */
@Tag("core")
class DeviceGraphsTest {

    private static final byte[] NOT_A_GRAPH = "only a CUDA session would load this file".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path temp;

    /** The span fixture with a GPU graph beside its graph, both in {@code sub} ("" = the bundle root). */
    private Path bundleWithGpuGraph(String sub) throws IOException {
        Path bundle = Files.createTempDirectory(temp, "two-graphs");
        Path graphs = sub.isEmpty() ? bundle : Files.createDirectories(bundle.resolve(sub));
        Path fixture = Fixtures.bundle("span");
        Files.copy(fixture.resolve("gliner_config.json"), bundle.resolve("gliner_config.json"));
        Files.copy(fixture.resolve("tokenizer.json"), bundle.resolve("tokenizer.json"));
        Files.copy(fixture.resolve("model.onnx"), graphs.resolve(BundleGraphs.CPU_GRAPH));
        Files.write(graphs.resolve(BundleGraphs.GPU_GRAPH), NOT_A_GRAPH);
        return bundle;
    }

    @Test
    void theDefaultSettingPicksTheGraphByDeviceAndAnExplicitFileWins() throws IOException {
        assertEquals(BundleGraphs.AUTO, ModelOptions.defaults().onnxFile());
        Path bundle = bundleWithGpuGraph("");
        BundleGraphs auto = BundleGraphs.in(bundle, BundleGraphs.AUTO);
        assertEquals("model.gpu.onnx", auto.forDevice(true));
        assertEquals("model.onnx", auto.forDevice(false));
        ModelBundle opened = ModelBundle.open(bundle, ModelOptions.defaults().onnxFile());
        assertEquals(bundle.resolve("model.gpu.onnx"), opened.graphFor(Device.parse("cuda:1").cuda()));
        assertEquals(bundle.resolve("model.onnx"), opened.graphFor(Device.CPU.cuda()));

        BundleGraphs explicit = BundleGraphs.in(bundle, "model.onnx");
        assertEquals("model.onnx", explicit.forDevice(true), "an explicit file serves every device");
        assertEquals("model.gpu.onnx", BundleGraphs.in(bundle, "model.gpu.onnx").forDevice(false));

        Path nested = bundleWithGpuGraph("onnx");
        assertEquals(new BundleGraphs("onnx/model.onnx", "onnx/model.gpu.onnx"), BundleGraphs.in(nested, BundleGraphs.AUTO));
        // The GPU graph sits beside the CPU graph: one at the root does not pair with a CPU graph under onnx/.
        Files.move(nested.resolve("onnx/model.gpu.onnx"), nested.resolve("model.gpu.onnx"));
        assertEquals("onnx/model.onnx", BundleGraphs.in(nested, BundleGraphs.AUTO).forDevice(true));

        Path single = Files.createTempDirectory(temp, "one-graph");
        Files.copy(Fixtures.bundle("span").resolve("model.onnx"), single.resolve("model.onnx"));
        assertEquals("model.onnx", BundleGraphs.in(single, BundleGraphs.AUTO).forDevice(true), "no GPU graph: the CPU graph everywhere");
        assertNull(BundleGraphs.in(single, "model.gpu.onnx"));
    }

    @Test
    void aCpuSessionLoadsTheCpuGraph() throws IOException {
        Path bundle = bundleWithGpuGraph("");
        try (GlinerModel model = GlinerModel.load(Fixtures.options("span").withSource(bundle.toString())
                .withDevice(DeviceSetting.CPU, true))) {
            assertEquals("model.onnx", model.info().onnxFile());
            assertEquals("cpu", model.info().device());
            assertEquals(1, model.extract(List.of("Alice met Bob"), List.of("person"), ExtractionOptions.defaults()).size());
        }
    }

    @Test
    void aCudaRequestThatFallsBackToTheCpuLoadsTheCpuGraph() throws IOException {
        Assumptions.assumeFalse(OrtBuild.hasCuda(), "this classpath carries the CUDA build of ONNX Runtime: " + OrtBuild.describe());
        Path bundle = bundleWithGpuGraph("");
        try (GlinerModel model = GlinerModel.load(Fixtures.options("span").withSource(bundle.toString())
                .withDevice(DeviceSetting.cuda(0), false))) {
            assertEquals("cpu", model.info().device());
            assertNotNull(model.info().deviceFallback());
            assertEquals("model.onnx", model.info().onnxFile());
        }

        SessionSpec spec = new SessionSpec(bundle.resolve("model.gpu.onnx"), bundle.resolve("model.onnx"), Device.parse("cuda"), false, 1);
        InferenceSession session = SessionCache.acquire(spec);
        try {
            assertEquals(Device.CPU, session.device());
            assertEquals(bundle.resolve("model.onnx").toAbsolutePath().normalize(), session.modelFile());
        } finally {
            SessionCache.release(session);
        }
    }

    @Test
    void anExplicitGraphIsLoadedEvenOnTheCpu() throws IOException {
        Path bundle = bundleWithGpuGraph("");
        ModelLoadException error = assertThrows(ModelLoadException.class, () -> GlinerModel.load(Fixtures.options("span")
                .withSource(bundle.toString()).withOnnxFile("model.gpu.onnx").withDevice(DeviceSetting.CPU, true)).close());
        assertTrue(error.getMessage().contains("model.gpu.onnx"), error.getMessage());
    }

    @Test
    void bothGraphsAreOneModel() throws IOException {
        Path bundle = bundleWithGpuGraph("");
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "model.gpu.onnx", "model.onnx"),
                BundleFingerprint.files(bundle, BundleGraphs.AUTO));
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "model.onnx"), BundleFingerprint.files(bundle, "model.onnx"));
        String both = BundleFingerprint.of(bundle, BundleGraphs.AUTO);
        try (GlinerModel model = GlinerModel.load(Fixtures.options("span").withSource(bundle.toString())
                .withDevice(DeviceSetting.CPU, true))) {
            assertEquals(both, model.info().fingerprint(), "a CPU session's model is the bundle with both graphs");
        }
        Files.write(bundle.resolve("model.gpu.onnx"), "another GPU graph".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(both, BundleFingerprint.of(bundle, BundleGraphs.AUTO), "the GPU graph is part of the model");
    }

    @Test
    void theBundledModelCarriesItsGpuGraph() {
        Path folder = ModelSources.locate(ModelSources.DEFAULT_SOURCE, BundleGraphs.AUTO, temp.resolve("cache"),
                SourceSettings.fromEnvironment()).folder();
        assertEquals(new BundleGraphs("model.onnx", "model.gpu.onnx"), BundleGraphs.in(folder, BundleGraphs.AUTO));
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "model.gpu.onnx", "model.onnx"),
                BundleFingerprint.files(folder, BundleGraphs.AUTO));
    }
}
