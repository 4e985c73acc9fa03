package io.glinerspark.spark;

import io.glinerspark.ModelOptions;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
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
    void driverFolderIsShippedAndTasksSeeAnUnpackedCopy() throws Exception {
        Path folder = TestSpark.tempDir("model");
        Files.createDirectories(folder.resolve("onnx"));
        Files.writeString(folder.resolve("gliner_config.json"), "{\"max_width\": 12}");
        Files.writeString(folder.resolve("onnx/model.onnx"), "weights");
        ExecutorModel model = ExecutorModel.prepare(spark, ModelOptions.defaults().withSource(folder.toString()));

        List<String> seen = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 4)
                .map(i -> {
                    ModelOptions options = model.taskOptions();
                    File root = new File(options.source());
                    return Files.readString(root.toPath().resolve("onnx/model.onnx")) + "|"
                            + Files.exists(root.toPath().resolve("gliner_config.json")) + "|" + options.device();
                }).collect();
        assertEquals(List.of("weights|true|cpu", "weights|true|cpu", "weights|true|cpu", "weights|true|cpu"), seen);
        assertTrue(model.options().source().equals(folder.toString()), "the configured source is kept for display");
    }

    @Test
    void sameFolderShipsOnceAndAChangedFolderShipsAgain() throws Exception {
        Path folder = TestSpark.tempDir("model");
        Files.writeString(folder.resolve("model.onnx"), "v1");
        String first = ModelArchive.ship(spark.sparkContext(), folder.toFile());
        assertEquals(first, ModelArchive.ship(spark.sparkContext(), folder.toFile()));
        Files.writeString(folder.resolve("model.onnx"), "version 2");
        assertNotEquals(first, ModelArchive.ship(spark.sparkContext(), folder.toFile()));
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
