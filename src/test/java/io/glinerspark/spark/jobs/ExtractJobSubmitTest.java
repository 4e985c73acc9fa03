package io.glinerspark.spark.jobs;

import io.delta.tables.DeltaTable;
import io.glinerspark.spark.TestSpark;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extraction job launched the way jobs/extract.sh launches it without SPARK_HOME: a separate JVM running Spark's
 * SparkSubmit with the job class. The Delta tables it writes are read back in this JVM. In the cluster tier: each
 * submission starts a whole Spark application of its own.
 */
@Tag("cluster")
class ExtractJobSubmitTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("local[1]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void jobWritesTheSampleCorpusAndAnIncrementalRerunSkipsIt() throws Exception {
        Path output = TestSpark.tempDir("job-output");
        String sample = TestSpark.repoRoot().resolve("jobs/sample/docs.jsonl").toString();
        List<String> common = List.of("--input", sample, "--output", output.toString(),
                "--model", TestSpark.fixture("span"), "--labels", "person,location,city,organization");

        List<String> first = new ArrayList<>(common);
        first.addAll(List.of("--runId", "run-1", "--partitions", "2"));
        String log = submit(first);
        assertTrue(log.contains("documents  31 written (0 with errors)"), log);
        assertTrue(log.contains("TEST FIXTURE"), log);

        Row[] documents = (Row[]) spark.read().format("delta").load(output + "/documents").orderBy("doc_id").collect();
        assertEquals(31, documents.length);
        assertEquals("sample-01", documents[0].getAs("doc_id"));
        long entities = spark.read().format("delta").load(output + "/entities").filter(col("run_id").equalTo("run-1")).count();
        long nested = spark.read().format("delta").load(output + "/documents")
                .selectExpr("sum(entity_count)").first().getLong(0);
        assertEquals(nested, entities, "entity rows equal the nested entities");
        assertTrue(entities > 0, "the fixture finds names such as London and Washington");

        List<String> again = new ArrayList<>(common);
        again.addAll(List.of("--runId", "run-2", "--incremental", "true"));
        String rerun = submit(again);
        assertTrue(rerun.contains("documents  0 written"), rerun);
        assertEquals(31, spark.read().format("delta").load(output + "/documents").count());
        assertEquals(entities, spark.read().format("delta").load(output + "/entities").count());
    }

    @Test
    void overwriteOfAPartOfTheInputIsRefusedBeforeTheTablesAreTouched() throws Exception {
        Path output = TestSpark.tempDir("job-overwrite-partial");
        Path input = output.resolve("docs.jsonl");
        Files.writeString(input, "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}\n");
        // Tables as an earlier run left them: one document, two entities.
        spark.sql("SELECT 'd1' AS doc_id, 'text' AS source_column, 'Alice' AS entity_text").write().format("delta")
                .save(output + "/entities");
        spark.sql("SELECT 'd1' AS doc_id, 'text' AS source_column").write().format("delta").save(output + "/documents");
        long entitiesVersion = DeltaTable.forPath(spark, output + "/entities").history(1).first().getLong(0);

        Submission refused = run(List.of("--input", input.toString(), "--output", output.toString(), "--model",
                TestSpark.fixture("span"), "--labels", "person,location", "--mode", "overwrite", "--incremental", "true"));
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("spark.gliner.mode=overwrite cannot be combined with "
                + "spark.gliner.incremental=true"), refused.output());
        assertEquals(1, spark.read().format("delta").load(output + "/entities").count());
        assertEquals(1, spark.read().format("delta").load(output + "/documents").count());
        assertEquals(entitiesVersion, DeltaTable.forPath(spark, output + "/entities").history(1).first().getLong(0),
                "no commit, not even an empty one");
    }

    /** Runs ExtractJob through SparkSubmit in a new JVM and returns its output; fails on a non-zero exit. */
    private static String submit(List<String> jobArguments) throws IOException, InterruptedException {
        Submission submission = run(jobArguments);
        assertEquals(0, submission.exitCode(), submission.output());
        return submission.output();
    }

    private record Submission(int exitCode, String output) {
    }

    /** Runs ExtractJob through SparkSubmit in a new JVM; its exit code and output. */
    private static Submission run(List<String> jobArguments) throws IOException, InterruptedException {
        Path argfile = TestSpark.tempDir("submit").resolve("java.args");
        // The surefire class path is a short manifest jar; an argfile keeps the command line short either way.
        // Spark's own module flags, as spark-submit adds them (Spark 3.5 cannot start on JDK 17 without them)
        Files.writeString(argfile, "-XX:+IgnoreUnrecognizedVMOptions\n"
                + JavaModuleOptions.defaultModuleOptions().replace(' ', '\n') + "\n"
                + "-cp\n\"" + System.getProperty("java.class.path") + "\"\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argfile, "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-Dai.djl.offline=true",
                "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--class", ExtractJob.class.getName(),
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.sql.shuffle.partitions=1",
                "spark-internal"));
        command.addAll(jobArguments);
        Path log = TestSpark.tempDir("submit").resolve("job.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(ExtractJob.HOME_ENV, TestSpark.repoRoot().toString());
        builder.environment().put("DJL_OFFLINE", "true");
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("job did not finish in 8 minutes:\n" + Files.readString(log));
        }
        return new Submission(process.exitValue(), Files.readString(log));
    }
}
