package io.glinerspark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glinerspark.eval.DatasetLoaderTest;
import io.glinerspark.spark.eval.EvaluateJob;
import io.glinerspark.spark.eval.SparkEvaluatorTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The evaluation job on a real Spark standalone cluster, its driver in its own JVM: its model reaches the executors
 * the way the extraction job's does. The model is given as a folder relative to the driver's working folder, which
 * the executors (working in their workers' folders) cannot resolve: they must receive it from the driver.
 */
@Tag("cluster")
class StandaloneClusterEvaluationTest {

    private static final Duration JOB_LIMIT = Duration.ofMinutes(4);

    @Test
    void evaluationShipsADriverOnlyModelFolderToTheExecutors() throws Exception {
        Path repo = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        Path root = Files.createTempDirectory(tmp, "cluster-evaluation");
        List<Path> dependencies = Arrays.stream(Files.readString(repo.resolve("target/classpath.txt")).trim()
                .split(File.pathSeparator)).map(Path::of).toList();
        // The span fixture finds 6 spans on these sentences, 5 of the 7 gold ones (worked out in SparkEvaluatorTest).
        Path data = DatasetLoaderTest.glinerDataset(root.resolve("data/tiny"), "test", SparkEvaluatorTest.TINY,
                SparkEvaluatorTest.TINY_LABELS);
        // The driver runs in this JVM's working folder; executors run in their own, where this path names nothing.
        Path model = Path.of("").toAbsolutePath().relativize(repo.resolve("src/test/resources/fixtures/span"));
        assertFalse(model.isAbsolute());
        assertTrue(Files.isDirectory(model), "the model folder is there for the driver: " + model);

        try (StandaloneCluster cluster = StandaloneCluster.start(root, repo.resolve("target/classes"), dependencies, 2,
                "1g")) {
            cluster.awaitIdle(Duration.ofMinutes(1));
            ExtractDriver job = ExtractDriver.named(cluster, "evaluate").mainClass(EvaluateJob.class)
                    .args("--data", data.toString(), "--model", model.toString());
            String log;
            try (ChildJvm driver = job.start()) {
                if (!driver.awaitExit(JOB_LIMIT)) {
                    fail(driver + " did not finish in " + JOB_LIMIT + "\n" + driver.log() + cluster.daemonLogs());
                }
                log = driver.log();
                assertEquals(0, driver.exitValue(), driver + " failed\n" + log);
            }
            String json = log.lines().filter(line -> line.startsWith("{\"model\"")).findFirst().orElse(null);
            assertNotNull(json, "the job prints its JSON line\n" + log);
            JsonNode tiny = new ObjectMapper().readTree(json).get("datasets").get(0);
            assertEquals(5, tiny.get("sentences").asInt());
            assertEquals(List.of(7L, 6L, 5L), List.of(tiny.get("gold").asLong(), tiny.get("predicted").asLong(),
                    tiny.get("correct").asLong()), json);
        }
    }
}
