package io.glinerspark.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Local Spark sessions for tests: Delta and the gliner extension enabled, fast-start settings, no UI. */
public final class TestSpark {

    private TestSpark() {
    }

    /** A fresh local session (stop it in {@code @AfterAll}); {@code master} e.g. {@code local[2]}. */
    public static SparkSession start(String master) {
        return start(master, Map.of());
    }

    /** A fresh local session with {@code conf} added to its configuration as it starts (static settings). */
    public static SparkSession start(String master, Map<String, String> conf) {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession.Builder builder = SparkSession.builder();
        conf.forEach(builder::config);
        return builder
                .master(master)
                .appName("gliner-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.warehouse.dir", tempDir("warehouse").toString())
                .config("spark.sql.extensions",
                        "io.delta.sql.DeltaSparkSessionExtension,io.glinerspark.spark.sql.GlinerSparkSessionExtensions")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .getOrCreate();
    }

    /**
     * Registers {@code fail_first_attempt(s)}: returns {@code s}, but the first attempt of partition 0 throws, so a
     * query through it shows what a retried task leaves behind (use a master with retries, e.g. {@code local[2,2]}).
     */
    public static void registerFailFirstAttempt(SparkSession spark) {
        spark.udf().register("fail_first_attempt", (UDF1<String, String>) value -> {
            TaskContext task = TaskContext.get();
            if (task.attemptNumber() == 0 && task.partitionId() == 0) {
                throw new IllegalStateException("injected failure of the first attempt");
            }
            return value;
        }, DataTypes.StringType);
    }

    /** A new folder under the build's temp folder. */
    public static Path tempDir(String prefix) {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root (set by the build). */
    public static Path repoRoot() {
        return Path.of(System.getProperty("gliner.repo.root", "."));
    }

    /** The test fixture bundle {@code name} under src/test/resources/fixtures. */
    public static String fixture(String name) {
        return repoRoot().resolve("src/test/resources/fixtures").resolve(name).toAbsolutePath().toString();
    }
}
