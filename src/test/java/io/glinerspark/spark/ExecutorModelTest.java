package io.glinerspark.spark;

import io.glinerspark.ModelOptions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How tasks find the model: shipped driver folders, URIs and the bundled model left to executors. */
class ExecutorModelTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void driverFolderIsShippedAndTasksWriteOneLocalCopy() throws Exception {
        Path folder = TestSpark.tempDir("model");
        Files.createDirectories(folder.resolve("onnx"));
        Files.writeString(folder.resolve("gliner_config.json"), "{\"max_width\": 12}");
        Files.write(folder.resolve("onnx/model.onnx"), new byte[3 << 20]);
        ExecutorModel model = ExecutorModel.prepare(spark, ModelOptions.defaults().withSource(folder.toString()));
        // Local mode shares the driver's disk; move the folder away so tasks must use the shipped bytes.
        Path moved = folder.resolveSibling(folder.getFileName() + "-moved");
        Files.move(folder, moved);

        List<String> seen = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 4)
                .map(i -> {
                    Path root = Path.of(model.taskOptions().source());
                    return root + "|" + Files.size(root.resolve("onnx/model.onnx")) + "|"
                            + Files.readString(root.resolve("gliner_config.json")) + "|" + model.taskOptions().device();
                }).collect();
        assertEquals(1, seen.stream().distinct().count(), "every task uses the same local copy: " + seen);
        assertTrue(seen.get(0).endsWith("|3145728|{\"max_width\": 12}|cpu"), seen.get(0));
        assertNotEquals(folder.toString(), seen.get(0).split("\\|")[0]);
        assertEquals(folder.toString(), model.options().source(), "the configured source is kept for display");
    }

    @Test
    void readableDriverFolderIsUsedInPlaceAndShippedOncePerContent() throws Exception {
        Path folder = TestSpark.tempDir("model");
        Files.writeString(folder.resolve("model.onnx"), "v1");
        ModelShipment first = ModelShipment.ship(spark.sparkContext(), folder);
        assertEquals(folder.toRealPath(), first.localFolder());
        assertTrue(first == ModelShipment.ship(spark.sparkContext(), folder), "same content, same broadcast");
        Files.writeString(folder.resolve("model.onnx"), "version 2");
        assertNotEquals(first.fingerprint(), ModelShipment.ship(spark.sparkContext(), folder).fingerprint());
    }

    @Test
    void urisAndTheBundledModelAreLeftToExecutors() {
        for (String source : List.of("default", "hdfs://nn/models/gliner", "s3a://bucket/gliner", "hf://org/model@v1")) {
            ExecutorModel model = ExecutorModel.prepare(spark, ModelOptions.defaults().withSource(source));
            assertEquals(source, model.taskOptions().source());
        }
    }

    @Test
    void missingDriverFolderIsAClearError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ExecutorModel.prepare(spark, ModelOptions.defaults().withSource("/no/such/model")));
        assertTrue(error.getMessage().contains("spark.gliner.model: '/no/such/model'"), error.getMessage());
    }
}
