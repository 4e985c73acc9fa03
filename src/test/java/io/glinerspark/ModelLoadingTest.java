package io.glinerspark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glinerspark.settings.DeviceSetting;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.types.ModelLoadException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bundles that are not supported GLiNER exports fail at load with a message naming what is wrong. */
@Tag("core")
class ModelLoadingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** A copy of a fixture bundle whose config was edited. */
    private Path copy(String fixture, Consumer<ObjectNode> editConfig) throws IOException {
        Path target = Files.createTempDirectory(temp, fixture);
        try (var files = Files.list(Fixtures.bundle(fixture))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        Path config = target.resolve("gliner_config.json");
        ObjectNode node = (ObjectNode) JSON.readTree(config.toFile());
        editConfig.accept(node);
        JSON.writeValue(config.toFile(), node);
        return target;
    }

    private static String failure(Path bundle) {
        return failure(ModelOptions.defaults().withSource(bundle.toString()).withIntraOpThreads(1));
    }

    private static String failure(ModelOptions options) {
        ModelLoadException error = assertThrows(ModelLoadException.class, () -> GlinerModel.load(options).close());
        return error.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not in: " + message);
        }
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Path noConfig = copy("span", c -> { });
        Files.delete(noConfig.resolve("gliner_config.json"));
        assertContains(failure(noConfig), "gliner_config.json");

        Path noTokenizer = copy("span_width4", c -> { });
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        assertContains(failure(noTokenizer), "tokenizer.json");

        Path variantOnly = copy("span_fp16", c -> { });
        Files.createDirectories(variantOnly.resolve("onnx"));
        Files.move(variantOnly.resolve("model.onnx"), variantOnly.resolve("onnx/model_fp16.onnx"));
        assertContains(failure(variantOnly), "no ONNX file 'model.onnx'", "onnx/model_fp16.onnx");
        try (GlinerModel model = GlinerModel.load(Fixtures.options("span")
                .withSource(variantOnly.toString()).withOnnxFile("model_fp16.onnx"))) {
            assertEquals("onnx/model_fp16.onnx", model.info().onnxFile());
        }

        assertContains(failure(temp.resolve("nowhere")), "nowhere");
    }

    @Test
    void malformedConfigIsNamed() throws IOException {
        Path broken = copy("span", c -> { });
        Files.writeString(broken.resolve("gliner_config.json"), "{\"span_mode\": ");
        assertContains(failure(broken), "cannot parse", "gliner_config.json");
    }

    @Test
    void unsupportedSettingsAndArchitecturesAreRejected() throws IOException {
        assertContains(failure(copy("span", c -> c.put("span_mode", "banana"))), "unsupported span_mode 'banana'");
        assertContains(failure(copy("span", c -> c.put("words_splitter_type", "spacy"))), "'spacy'", "whitespace",
                "extractWords");
        assertContains(failure(copy("span", c -> c.put("labels_encoder", "bge-small"))), "labels_encoder", "bi-encoder");
        assertContains(failure(copy("span", c -> c.put("relations_layer", "biaffine"))), "relations_layer");
        assertContains(failure(copy("span", c -> c.put("labels_decoder", "gpt2"))), "labels_decoder");
    }

    @Test
    void unknownAndTrainingOnlyFieldsAreIgnored() throws IOException {
        Path extra = copy("span", c -> {
            c.put("max_types", 25);
            c.put("dropout", 0.4);
            c.putObject("something_new").put("x", 1);
        });
        try (GlinerModel model = GlinerModel.load(Fixtures.options("span").withSource(extra.toString()))) {
            assertEquals(1, model.extract(List.of("alice"), List.of("person"), ExtractionOptions.defaults())
                    .get(0).size());
        }
    }

    @Test
    void classTokenIndexMustBeTheTokenizersEntId() throws IOException {
        assertContains(failure(copy("span", c -> c.put("class_token_index", 128002))),
                "class_token_index is 128002", "30523");
        assertContains(failure(copy("span", c -> c.put("ent_token", "<<NOPE>>"))), "ent_token", "<<NOPE>>");
    }

    @Test
    void graphsThatBreakTheContractAreRejected() throws IOException {
        assertContains(failure(Fixtures.bundle("span_int64_mask")), "span_mask", "INT64", "BOOL");
        assertContains(failure(Fixtures.bundle("span_bad_width")), "max_width=12");
        assertContains(failure(copy("span", c -> c.put("span_mode", "token_level"))), "span_idx", "does not take");
        assertContains(failure(copy("token_new", c -> c.put("span_mode", "markerV0"))), "no input 'span_idx'");
    }

    @Test
    void cudaRequestFallsBackToTheCpuUnlessRequired() {
        ModelOptions cuda = Fixtures.options("span").withDevice(DeviceSetting.cuda(0), false);
        try (GlinerModel model = GlinerModel.load(cuda)) {
            assertEquals("cpu", model.info().device());
            assertNotNull(model.info().deviceFallback());
            assertEquals(1, model.extract(List.of("alice"), List.of("person"), ExtractionOptions.defaults())
                    .get(0).size());
        }
        assertContains(failure(Fixtures.options("span").withDevice(DeviceSetting.cuda(0), true)), "cuda:0", "required");
        try (GlinerModel cpu = GlinerModel.load(Fixtures.options("span"))) {
            assertNull(cpu.info().deviceFallback());
        }
    }

    @Test
    void badOptionsAreNamed() {
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> Settings.DEVICE.parse("tpu", Spelling.OPTION));
        assertContains(device.getMessage(), "tpu");
    }

    @Test
    void closedModelsRefuseWorkAndSharedOnesStayLoadedForTheNextHolder() {
        GlinerModel model = GlinerModel.load(Fixtures.options("span"));
        model.close();
        assertThrows(IllegalStateException.class,
                () -> model.extract(List.of("alice"), List.of("person"), ExtractionOptions.defaults()));
        GlinerModel shared = GlinerModel.shared(Fixtures.options("span"));
        shared.close();
        assertThrows(IllegalStateException.class,
                () -> shared.extract(List.of("alice"), List.of("person"), ExtractionOptions.defaults()));
        try (GlinerModel again = GlinerModel.shared(Fixtures.options("span"))) {
            assertEquals(shared.info(), again.info());
            assertEquals(1, again.extract(List.of("alice"), List.of("person"), ExtractionOptions.defaults())
                    .get(0).size());
        }
    }
}
