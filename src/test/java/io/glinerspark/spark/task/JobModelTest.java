package io.glinerspark.spark.task;

import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.runtime.SessionCache;
import io.glinerspark.source.BundleFingerprint;
import io.glinerspark.source.ModelSourceException;
import io.glinerspark.source.ModelSources;
import io.glinerspark.source.SourceSettings;
import io.glinerspark.source.TinyOnnx;
import io.glinerspark.spark.ModelIdentity;
import io.glinerspark.spark.TestSpark;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How tasks find the model: shipped driver folders, URIs resolved with the job's Hadoop settings, content-derived
 * identity and the executors' check that they run the driver's bundle.
 */
@Tag("spark")
class JobModelTest {

    /** Hadoop's raw local file system under a scheme no Hadoop default knows: usable only when configured. */
    public static final class TestFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("testfs:///");
        }

        @Override
        public String getScheme() {
            return "testfs";
        }
    }

    private static final String HADOOP_SETTING = "spark.hadoop.fs.testfs.impl";
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        // SparkConf reads spark.* system properties when the context starts: this becomes an application setting.
        System.setProperty(HADOOP_SETTING, TestFileSystem.class.getName());
        try {
            spark = TestSpark.start("local[2]");
        } finally {
            System.clearProperty(HADOOP_SETTING);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void driverFolderShipsOnlyTheBundleAndTasksWriteOneLocalCopy() throws Exception {
        Path folder = TestSpark.tempDir("model");
        writeBundle(folder, "{\"max_width\": 12}", new byte[3 << 20]);
        Files.write(folder.resolve("pytorch_model.bin"), new byte[8 << 20]);
        Files.writeString(folder.resolve("README.md"), "# not part of the model");
        JobModel model = JobModel.prepare(spark, ModelOptions.defaults().withSource(folder.toString()));
        ModelShipment shipment = ModelShipment.ship(spark.sparkContext(), folder, "model.onnx");
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "onnx/model.onnx"), shipment.shippedFiles());
        // Local mode shares the driver's disk; move the folder away so tasks must use the shipped bytes.
        Path moved = folder.resolveSibling(folder.getFileName() + "-moved");
        Files.move(folder, moved);

        List<String> seen = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 4)
                .map(i -> {
                    Path root = Path.of(model.taskOptions().source());
                    return root + "|" + Files.size(root.resolve("onnx/model.onnx")) + "|"
                            + Files.readString(root.resolve("gliner_config.json")) + "|" + model.taskOptions().device()
                            + "|" + filesUnder(root);
                }).collect();
        assertEquals(1, seen.stream().distinct().count(), "every task uses the same local copy: " + seen);
        assertTrue(seen.get(0).endsWith("|3145728|{\"max_width\": 12}|cpu|[gliner_config.json, onnx/model.onnx, "
                + "tokenizer.json]"), seen.get(0));
        assertNotEquals(folder.toString(), seen.get(0).split("\\|")[0]);
        assertEquals(folder.toString(), model.options().source(), "the configured source is kept for display");
    }

    @Test
    void aBundleWithAGpuGraphShipsBothGraphsAndCpuTasksLoadTheCpuGraph() throws Exception {
        Path folder = copyOfFixture();
        // Not a graph at all: a task that loaded it would fail.
        Files.writeString(folder.resolve("model.gpu.onnx"), "only a CUDA session would load this file");
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "model.onnx"),
                ModelShipment.ship(spark.sparkContext(), folder, "model.onnx").shippedFiles(), "an explicit file ships alone");
        JobModel model = JobModel.prepare(spark, ModelOptions.defaults().withSource(folder.toString()).withIntraOpThreads(1));
        ModelShipment shipment = ModelShipment.ship(spark.sparkContext(), folder, ModelOptions.defaults().onnxFile());
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "model.gpu.onnx", "model.onnx"), shipment.shippedFiles());
        assertEquals(shipment.fingerprint(), model.fingerprint(), "the job's model is the bundle with both graphs");
        Path moved = folder.resolveSibling(folder.getFileName() + "-moved");
        Files.move(folder, moved);

        List<String> seen = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2), 2)
                .map(i -> {
                    GlinerModel loaded = model.get();
                    return loaded.info().onnxFile() + "|" + loaded.info().device() + "|"
                            + filesUnder(Path.of(model.taskOptions().source()));
                }).collect();
        assertEquals(List.of("model.onnx|cpu|[gliner_config.json, model.gpu.onnx, model.onnx, tokenizer.json]"),
                seen.stream().distinct().toList());
    }

    @Test
    void externalDataNamedInsideTheOnnxFileIsShippedWhateverItsName() throws Exception {
        Path folder = TestSpark.tempDir("model");
        writeBundle(folder, "{\"max_width\": 12}", TinyOnnx.identityOfExternal("weights.bin", 4));
        Files.write(folder.resolve("onnx/weights.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        ModelShipment shipment = ModelShipment.ship(spark.sparkContext(), folder, "model.onnx");
        assertEquals(List.of("gliner_config.json", "tokenizer.json", "onnx/weights.bin", "onnx/model.onnx"), shipment.shippedFiles());
        Path moved = folder.resolveSibling(folder.getFileName() + "-moved");
        Files.move(folder, moved);

        List<Long> sizes = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2), 2)
                .map(i -> Files.size(shipment.localFolder().resolve("onnx/weights.bin"))).collect();
        assertEquals(List.of(16L, 16L), sizes);

        // A copy that lost a file is written again rather than failing every later task.
        Files.delete(shipment.localFolder().resolve("onnx/weights.bin"));
        assertEquals(16L, Files.size(shipment.localFolder().resolve("onnx/weights.bin")));
    }

    @Test
    void shippedCopiesAreKeyedByContentNotByNamesAndSizes() throws Exception {
        Path first = TestSpark.tempDir("model");
        Path second = TestSpark.tempDir("model");
        writeBundle(first, "{\"max_width\": 12}", "weights-1".getBytes(StandardCharsets.UTF_8));
        writeBundle(second, "{\"max_width\": 12}", "weights-2".getBytes(StandardCharsets.UTF_8));
        FileTime sameTime = FileTime.fromMillis(1_700_000_000_000L);
        for (Path folder : List.of(first, second)) {
            for (String file : List.of("gliner_config.json", "tokenizer.json", "onnx/model.onnx")) {
                Files.setLastModifiedTime(folder.resolve(file), sameTime);
            }
        }
        JobModel one = JobModel.prepare(spark, ModelOptions.defaults().withSource(first.toString()));
        JobModel two = JobModel.prepare(spark, ModelOptions.defaults().withSource(second.toString()));
        assertNotEquals(one.fingerprint(), two.fingerprint());
        Files.move(first, first.resolveSibling(first.getFileName() + "-moved"));
        Files.move(second, second.resolveSibling(second.getFileName() + "-moved"));

        List<String> copies = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1), 1)
                .map(i -> List.of(one, two).stream().map(m -> {
                    Path root = Path.of(m.taskOptions().source());
                    try {
                        return root.getFileName() + "=" + Files.readString(root.resolve("onnx/model.onnx"));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList()).collect().get(0);
        assertEquals(List.of(one.fingerprint() + "=weights-1", two.fingerprint() + "=weights-2"), copies);
    }

    @Test
    void readableDriverFolderIsUsedInPlaceAndShippedOncePerContent() throws Exception {
        Path folder = TestSpark.tempDir("model");
        writeBundle(folder, "{}", "v1".getBytes(StandardCharsets.UTF_8));
        ModelShipment first = ModelShipment.ship(spark.sparkContext(), folder, "model.onnx");
        assertEquals(folder.toRealPath(), first.localFolder());
        assertTrue(first == ModelShipment.ship(spark.sparkContext(), folder, "model.onnx"), "same content, same broadcast");
        Files.writeString(folder.resolve("onnx/model.onnx"), "version 2");
        assertNotEquals(first.fingerprint(), ModelShipment.ship(spark.sparkContext(), folder, "model.onnx").fingerprint());
    }

    @Test
    void idIsTheSameForACopyOfTheFolderAndChangesWithOneByteOfTheOnnxFile() throws Exception {
        Path original = copyOfFixture();
        Path copy = copyOfFixture();
        ModelIdentity fromFolder = ModelIdentity.of(JobModel.prepare(spark,
                ModelOptions.defaults().withSource(original.toString())));
        ModelIdentity fromUri = ModelIdentity.of(JobModel.prepare(spark,
                ModelOptions.defaults().withSource(copy.toUri().toString())));
        assertEquals(fromFolder.id(), fromUri.id());
        assertEquals(fromFolder.revision(), fromUri.revision());
        assertTrue(fromFolder.id().matches("gliner-fixture-minilm-uncased-[0-9a-f]{16}"), fromFolder.id());
        assertTrue(fromFolder.revision().matches("sha256:[0-9a-f]{64}"), fromFolder.revision());
        assertTrue(fromFolder.revision().startsWith("sha256:" + fromFolder.id().substring(fromFolder.id().length() - 16)));

        Path changed = copyOfFixture();
        changeOneOnnxByte(changed);
        ModelIdentity other = ModelIdentity.of(JobModel.prepare(spark,
                ModelOptions.defaults().withSource(changed.toString())));
        assertNotEquals(fromFolder.id(), other.id());
    }

    @Test
    void executorsRefuseAModelThatChangedAfterTheDriverResolvedIt() throws Exception {
        Path folder = copyOfFixture();
        JobModel model = JobModel.prepare(spark, ModelOptions.defaults().withSource(folder.toUri().toString()));
        String driverFingerprint = model.fingerprint();
        changeOneOnnxByte(folder);
        String changedFingerprint = BundleFingerprint.of(folder, "model.onnx");

        Exception error = assertThrows(Exception.class, () -> JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(List.of(1), 1).map(i -> model.get().info().id()).collect());
        String message = messages(error);
        assertTrue(message.contains("changed while the job ran"), message);
        assertTrue(message.contains("fingerprint " + changedFingerprint) && message.contains("fingerprint " + driverFingerprint),
                message);

        JobModel current = JobModel.prepare(spark, ModelOptions.defaults().withSource(folder.toUri().toString()));
        assertEquals(List.of(changedFingerprint), JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(List.of(1), 1).map(i -> current.get().info().fingerprint()).collect());
    }

    @Test
    void hadoopUrisUseTheApplicationsHadoopSettings() throws Exception {
        Path folder = copyOfFixture();
        String source = "testfs://" + folder.toAbsolutePath();
        ModelSourceException withoutSettings = assertThrows(ModelSourceException.class, () -> ModelSources.locate(source,
                "model.onnx", TestSpark.tempDir("cache"), SourceSettings.fromEnvironment()).folder());
        assertTrue(withoutSettings.getMessage().contains("no Hadoop FileSystem for the scheme"), withoutSettings.getMessage());

        JobModel model = JobModel.prepare(spark, ModelOptions.defaults().withSource(source));
        List<String> fingerprints = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2), 2)
                .map(i -> model.get().info().fingerprint()).collect();
        assertEquals(List.of(model.fingerprint(), model.fingerprint()), fingerprints);
        assertEquals(BundleFingerprint.of(folder, "model.onnx"), model.fingerprint());
    }

    @Test
    void theBundledModelResolvesToALocalFolder() {
        JobModel model = JobModel.prepare(spark, ModelOptions.defaults());
        Path folder = Path.of(model.taskOptions().source());
        assertTrue(Files.isRegularFile(folder.resolve("gliner_config.json")), folder.toString());
        assertTrue(Files.isRegularFile(folder.resolve("model.gpu.onnx")), "the bundled model carries its GPU graph");
        assertEquals(BundleFingerprint.of(folder, ModelOptions.defaults().onnxFile()), model.fingerprint(),
                "the job's model is the bundle with both graphs");
        assertNotEquals(BundleFingerprint.of(folder, "model.onnx"), model.fingerprint());
        assertEquals("default", model.options().source());
    }

    @Test
    void tasksGiveTheirModelBackAndTheOldestIsClosedOnceNewerOnesReplaceIt() throws Exception {
        List<Path> folders = new ArrayList<>();
        List<JobModel> models = new ArrayList<>();
        for (char value : new char[]{'x', 'y', 'w'}) {
            Path folder = copyOfFixture();
            changeOneOnnxByte(folder, value);
            JobModel model = JobModel.prepare(spark, ModelOptions.defaults().withSource(folder.toString()));
            assertEquals(List.of(model.fingerprint(), model.fingerprint()), JavaSparkContext.fromSparkContext(
                    spark.sparkContext()).parallelize(List.of(1, 2), 2).map(i -> model.get().info().fingerprint())
                    .collect());
            folders.add(folder);
            models.add(model);
        }
        assertFalse(sessionOpen(folders.get(0)), "no task holds the oldest model: its session is closed");
        assertTrue(sessionOpen(folders.get(1)) && sessionOpen(folders.get(2)), "the two most recent stay loaded");

        // A job that still carries the oldest model loads it again.
        JobModel oldest = models.get(0);
        assertEquals(List.of(oldest.fingerprint()), JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(List.of(1), 1).map(i -> oldest.get().info().fingerprint()).collect());
        assertFalse(sessionOpen(folders.get(1)));
    }

    @Test
    void onlyTheMostRecentShipmentsAreRememberedAndAForgottenOneStillServesItsJobs() throws Exception {
        List<ModelShipment> shipments = new ArrayList<>();
        for (char value : new char[]{'p', 'q', 'r'}) {
            Path folder = copyOfFixture();
            changeOneOnnxByte(folder, value);
            shipments.add(ModelShipment.ship(spark.sparkContext(), folder, "model.onnx"));
        }
        assertEquals(List.of(shipments.get(1).fingerprint(), shipments.get(2).fingerprint()),
                ModelShipment.rememberedFingerprints());
        assertEquals(List.of("gliner_config.json", "model.onnx", "tokenizer.json"),
                shipments.get(0).shippedFiles().stream().sorted().toList(), "the forgotten broadcast is intact");
        assertTrue(Files.isRegularFile(shipments.get(0).localFolder().resolve("model.onnx")));
    }

    private static boolean sessionOpen(Path folder) throws IOException {
        Path root = folder.toRealPath();
        return SessionCache.openModelFiles().stream().anyMatch(file -> file.toAbsolutePath().startsWith(root)
                || file.toAbsolutePath().startsWith(folder.toAbsolutePath()));
    }

    @Test
    void missingDriverFolderIsAClearError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> JobModel.prepare(spark, ModelOptions.defaults().withSource("/no/such/model")));
        assertTrue(error.getMessage().contains("spark.gliner.model: '/no/such/model'"), error.getMessage());
    }

    private static void writeBundle(Path folder, String config, byte[] onnx) throws IOException {
        Files.createDirectories(folder.resolve("onnx"));
        Files.writeString(folder.resolve("gliner_config.json"), config);
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        Files.write(folder.resolve("onnx/model.onnx"), onnx);
    }

    /** A private copy of the span fixture: tests that change or load it never share a folder. */
    private static Path copyOfFixture() throws IOException {
        Path copy = TestSpark.tempDir("span-copy");
        Path fixture = Path.of(TestSpark.fixture("span"));
        for (String file : List.of("gliner_config.json", "tokenizer.json", "model.onnx")) {
            Files.copy(fixture.resolve(file), copy.resolve(file));
        }
        return copy;
    }

    /** Changes one byte of the graph's producer name: still a valid model, other bytes. */
    private static void changeOneOnnxByte(Path folder) throws IOException {
        changeOneOnnxByte(folder, 'z');
    }

    /** {@link #changeOneOnnxByte(Path)} to {@code value}: copies changed to different values differ from each other. */
    private static void changeOneOnnxByte(Path folder, char value) throws IOException {
        Path onnx = folder.resolve("model.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("gliner-spark-fixtures");
        assertTrue(at >= 0, "the fixture names its producer");
        bytes[at + "gliner-spark-fixture".length()] = (byte) value;
        Files.write(onnx, bytes);
        Files.setLastModifiedTime(onnx, FileTime.fromMillis(Files.getLastModifiedTime(onnx).toMillis() + 5_000));
    }

    private static String filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList().toString();
        }
    }

    private static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
