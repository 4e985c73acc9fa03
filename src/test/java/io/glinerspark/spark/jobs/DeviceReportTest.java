package io.glinerspark.spark.jobs;

import io.glinerspark.spark.TestSpark;
import io.glinerspark.spark.ml.GlinerTransformer;
import io.glinerspark.spark.task.ExtractionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executors report the device their model really got. Here no executor has CUDA (the test classpath carries the
 * CPU build of ONNX Runtime, or with profile gpu the CUDA build on a machine without CUDA), so a run that asks for
 * cuda falls back on every task and must say so, with the reason.
 */
@Tag("spark")
class DeviceReportTest {

    /** Why this machine cannot run CUDA: the CPU build, or the CUDA build without its libraries. */
    private static final String REASON = "(CUDA is not in this ONNX Runtime build [^\\n]*onnxruntime_gpu"
            + "|OrtException: [^\\n]*missing CUDA libraries: lib\\S+\\.so\\.\\d+)[^\\n]*";

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
    void metricsCountTasksPerExecutorDeviceAndTheFallbacks() {
        ExtractionMetrics metrics = ExtractionMetrics.register(spark.sparkContext());
        GlinerTransformer gliner = new GlinerTransformer().setInputCol("text").setLabels("person")
                .setModel(TestSpark.fixture("span")).setDevice("cuda").setMetrics(metrics);
        Dataset<Row> texts = spark.createDataset(List.of("alice met bob", "carol", "dave", "erin"),
                org.apache.spark.sql.Encoders.STRING()).toDF("text").repartition(3);
        assertEquals(4, gliner.transform(texts).collectAsList().size());

        assertEquals(3, metrics.fallbackTasks());
        assertEquals(3L, metrics.snapshot().get("tasks on a fallback device"));
        List<String> report = metrics.deviceReport();
        assertEquals(2, report.size(), report.toString());
        assertTrue(report.get(0).matches("executor driver on .+: CPU, 3 tasks, FALLBACK from cuda:0 unavailable: "
                + REASON), report.get(0));
        assertEquals("3 of 3 tasks ran on a fallback device", report.get(1));
    }

    @Test
    void cpuTasksAreReportedWithoutAFallback() {
        ExtractionMetrics metrics = ExtractionMetrics.register(spark.sparkContext());
        GlinerTransformer gliner = new GlinerTransformer().setInputCol("text").setLabels("person")
                .setModel(TestSpark.fixture("span")).setMetrics(metrics);
        Dataset<Row> texts = spark.createDataset(List.of("alice", "bob"), org.apache.spark.sql.Encoders.STRING())
                .toDF("text").repartition(2);
        gliner.transform(texts).collectAsList();
        assertEquals(0, metrics.fallbackTasks());
        assertEquals(1, metrics.deviceReport().size(), metrics.deviceReport().toString());
        assertTrue(metrics.deviceReport().get(0).matches("executor driver on .+: CPU, 2 tasks"),
                metrics.deviceReport().get(0));
    }

    @Test
    void jobSummaryShowsEachExecutorsDeviceTheFallbackReasonAndTheFallbackTaskCount() throws Exception {
        Path output = TestSpark.tempDir("device-job");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ExtractJobOptions options = ExtractJobOptions.parse(List.of(
                "--input", TestSpark.repoRoot().resolve("jobs/sample/docs.jsonl").toString(),
                "--output", output.toString(), "--model", TestSpark.fixture("span"), "--labels", "person,city",
                "--device", "cuda", "--partitions", "2", "--examples", "0"), Map.of(), TestSpark.repoRoot());
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            new ExtractJob(spark, options, out).run();
        }
        String summary = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(summary.matches("(?s).*\\n  devices    executor driver on \\S+: CPU, 2 tasks, FALLBACK from cuda:0 "
                + "unavailable: " + REASON + "\\n             2 of 2 tasks ran on a fallback device\\n.*"), summary);
        assertTrue(summary.contains("tasks on a fallback device=2"), summary);
    }

    @Test
    void aRequiredCudaDeviceFailsTheJobNamingWhatIsMissing() {
        Path output = TestSpark.tempDir("device-required");
        ExtractJobOptions options = ExtractJobOptions.parse(List.of(
                "--input", TestSpark.repoRoot().resolve("jobs/sample/docs.jsonl").toString(),
                "--output", output.toString(), "--model", TestSpark.fixture("span"), "--labels", "person",
                "--device", "cuda", "--requireDevice", "true", "--limit", "2"), Map.of(), TestSpark.repoRoot());
        Exception error = assertThrows(Exception.class,
                () -> new ExtractJob(spark, options, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8)).run());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().matches("(?s).*device cuda:0 was required but cannot be used for [^\\n]*: "
                + REASON + "\n.*"), messages.toString());
    }
}
