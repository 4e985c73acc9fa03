package io.glinerspark.cluster;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The extraction job on a real Spark standalone cluster (a master and two one-core workers on 127.0.0.1, drivers
 * in their own JVMs) under faults: an executor SIGKILLed mid-job, drivers killed between or after their commits,
 * concurrent jobs on the same tables, a stream killed and restarted while input arrives. After each, the Delta
 * tables must hold exactly what a clean run of the same documents wrote: nothing lost, nothing twice.
 */
@Tag("cluster")
class StandaloneClusterFaultTest {

    private static final int DOCUMENTS = 1000;
    private static final Duration JOB_LIMIT = Duration.ofMinutes(4);

    private static Path root;
    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static ResultTables tables;
    private static Path corpus;
    private static Path clean;

    @BeforeAll
    static void startCluster() throws Exception {
        Path repo = Path.of(System.getProperty("gliner.repo.root", "."));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        root = Files.createTempDirectory(tmp, "cluster-faults");
        List<Path> dependencies = Arrays.stream(Files.readString(repo.resolve("target/classpath.txt")).trim()
                .split(File.pathSeparator)).map(Path::of).toList();
        cluster = StandaloneCluster.start(root, repo.resolve("target/classes"), dependencies, 2, "1g");
        spark = ResultTables.localSession(root.resolve("warehouse"));
        tables = new ResultTables(spark);

        corpus = GeneratedCorpus.write(root.resolve("corpus/all.jsonl"), 0, DOCUMENTS);
        clean = root.resolve("clean");
        String log = succeed(job("clean", corpus, clean));
        assertTrue(log.contains("documents  " + DOCUMENTS + " written (0 with errors)"), log);
        assertTrue(tables.entities(clean).count() > DOCUMENTS, "the generated texts hold several entities each");
    }

    @AfterAll
    static void stopCluster() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void executorKilledInTheMiddleOfTheJobLosesAndDuplicatesNothing() throws Exception {
        Path output = root.resolve("executor-kill");
        Path progress = root.resolve("executor-kill.progress");
        cluster.awaitIdle(Duration.ofMinutes(1));
        ChildJvm driver = job("executor-kill", corpus, output).progressTo(progress).start();
        try {
            awaitOrFail(() -> ExtractionProgress.read(progress)[0] >= 100, driver, "100 documents extracted");
            long extractedAtKill = ExtractionProgress.read(progress)[0];
            List<ProcessHandle> executors = cluster.executors();
            assertFalse(executors.isEmpty(), "executors are running");
            executors.get(0).destroyForcibly();
            String log = finished(driver);
            assertTrue(ExtractionProgress.read(progress)[1] >= 1, "the driver lost an executor\n" + log);
            assertTrue(extractedAtKill < DOCUMENTS, "the executor was killed before the extraction ended ("
                    + extractedAtKill + " documents extracted)");
            assertTrue(log.contains("documents  " + DOCUMENTS + " written (0 with errors)"), log);
        } finally {
            driver.close();
        }
        tables.assertSameRows(clean, output, "after an executor was killed mid-job");
    }

    @Test
    void driverKilledBetweenTheEntitiesAndTheDocumentsCommitsThenRerunIncrementally() throws Exception {
        Path output = root.resolve("driver-kill");
        Path firstHalf = GeneratedCorpus.write(root.resolve("corpus/first-half.jsonl"), 0, DOCUMENTS / 2);
        succeed(job("driver-kill-seed", firstHalf, output));
        long entityCommits = FaultInjection.commits(output.resolve("entities"));
        long documentCommits = FaultInjection.commits(output.resolve("documents"));

        halt(job("driver-kill-halted", corpus, output)
                .systemProperty(FaultInjection.HALT_AFTER_COMMIT_TO, output.resolve("entities").toString()));
        assertEquals(entityCommits + 1, FaultInjection.commits(output.resolve("entities")),
                "the killed run committed its entities");
        assertEquals(documentCommits, FaultInjection.commits(output.resolve("documents")),
                "the killed run died before its documents commit");

        String log = succeed(job("driver-kill-rerun", corpus, output).args("--incremental", "true"));
        assertTrue(log.contains("documents  " + DOCUMENTS / 2 + " written"),
                "the rerun redoes the documents the killed run did not record\n" + log);
        tables.assertSameRows(clean, output, "after a driver was killed between its two commits and rerun");
    }

    @Test
    void batchReplayedAfterTheDriverDiedPastItsFirstCommit() throws Exception {
        Path output = root.resolve("replay");
        halt(job("replay-halted", corpus, output)
                .systemProperty(FaultInjection.HALT_AFTER_COMMIT_TO, output.resolve("entities").toString()));
        assertEquals(1, FaultInjection.commits(output.resolve("entities")), "the killed run created the entities table");
        assertEquals(0, FaultInjection.commits(output.resolve("documents")), "and died before the documents table");

        succeed(job("replay-rerun", corpus, output));
        tables.assertSameRows(clean, output, "after the same batch was run again over its partial first write");
    }

    @Test
    void concurrentJobsCreatingTheTablesWithOverlappingIds() throws Exception {
        concurrentJobs(root.resolve("concurrent-new"), false);
    }

    @Test
    void concurrentMergesIntoExistingTablesWithOverlappingIds() throws Exception {
        concurrentJobs(root.resolve("concurrent-merge"), true);
    }

    /**
     * Two drivers, one core each, documents 0-599 and 400-999 into the same output, both held at a barrier just
     * before their first entities write so that the writes really overlap. Either both succeed and the tables
     * hold all 1,000 documents, or one fails and the tables hold exactly the other's (plus the seed).
     */
    private static void concurrentJobs(Path output, boolean seeded) throws Exception {
        Path first = GeneratedCorpus.write(output.resolveSibling(output.getFileName() + "-a.jsonl"), 0, 600);
        Path second = GeneratedCorpus.write(output.resolveSibling(output.getFileName() + "-b.jsonl"), 400, DOCUMENTS);
        int seedEnd = 0;
        if (seeded) {
            seedEnd = 200;
            succeed(job(output.getFileName() + "-seed",
                    GeneratedCorpus.write(output.resolveSibling(output.getFileName() + "-seed.jsonl"), 0, seedEnd), output));
        }
        Path barrier = output.resolveSibling(output.getFileName() + "-barrier");
        cluster.awaitIdle(Duration.ofMinutes(1));
        List<ChildJvm> drivers = new ArrayList<>();
        try {
            for (Path input : List.of(first, second)) {
                drivers.add(job(output.getFileName() + "-" + drivers.size(), input, output)
                        .conf("spark.cores.max", "1")
                        .systemProperty(FaultInjection.BARRIER_DIR, barrier.toString())
                        .systemProperty(FaultInjection.BARRIER_PARTIES, "2")
                        .systemProperty(FaultInjection.BARRIER_TABLE, output.resolve("entities").toString())
                        .start());
            }
            List<Integer> exits = new ArrayList<>();
            for (ChildJvm driver : drivers) {
                if (!driver.awaitExit(JOB_LIMIT)) {
                    fail(driver + " did not finish in " + JOB_LIMIT + "\n" + driver.log());
                }
                exits.add(driver.exitValue());
            }
            String logs = drivers.stream().map(d -> "--- " + d + " exit " + d.exitValue() + "\n" + tail(d.log()))
                    .reduce("", String::concat);
            assertTrue(drivers.stream().allMatch(d -> d.log().contains("drivers passed the barrier")),
                    "both drivers reached their entities write together\n" + logs);
            if (exits.equals(List.of(0, 0))) {
                tables.assertSameRows(clean, output, "after two concurrent jobs both succeeded\n" + logs);
            } else if (exits.contains(0)) {
                int succeeded = exits.indexOf(0);
                int from = succeeded == 0 ? 0 : 400;
                int to = succeeded == 0 ? 600 : DOCUMENTS;
                tables.assertSameRows(clean, output, col("doc_id").geq(GeneratedCorpus.id(from))
                                .and(col("doc_id").lt(GeneratedCorpus.id(to))).or(col("doc_id").lt(GeneratedCorpus.id(seedEnd))),
                        "after one of two concurrent jobs failed, only the other's rows\n" + logs);
            } else {
                fail("both concurrent jobs failed\n" + logs);
            }
        } finally {
            for (ChildJvm driver : drivers) {
                driver.close();
            }
        }
    }

    @Test
    void streamKilledAndRestartedThreeTimesWhileInputArrives() throws Exception {
        Path output = root.resolve("stream");
        Path input = Files.createDirectories(root.resolve("stream-in"));
        Path entities = output.resolve("entities");
        Path documents = output.resolve("documents");
        int part = DOCUMENTS / 4;

        // 1: SIGKILL while the first micro-batch is being extracted.
        GeneratedCorpus.write(input.resolve("part-0.jsonl"), 0, part);
        Path progress = root.resolve("stream.progress");
        cluster.awaitIdle(Duration.ofMinutes(1));
        ChildJvm driver = stream("stream-1", input, output).progressTo(progress).start();
        try {
            awaitOrFail(() -> ExtractionProgress.read(progress)[0] > 0, driver, "the first documents extracted");
            driver.kill();
        } finally {
            driver.close();
        }

        // 2: more input; the driver dies right after a micro-batch's entities commit.
        GeneratedCorpus.write(input.resolve("part-1.jsonl"), part, 2 * part);
        long documentCommits = FaultInjection.commits(documents);
        halt(stream("stream-2", input, output)
                .systemProperty(FaultInjection.HALT_AFTER_COMMIT_TO, entities.toString()));
        assertEquals(documentCommits, FaultInjection.commits(documents), "the driver died before the documents commit");

        // 3: more input; the driver dies right after a micro-batch's documents commit. Its last batch is then
        // taken off the checkpoint's commit log, as if the crash came before the stream recorded it: the next
        // run must replay a batch whose results are already in the tables.
        GeneratedCorpus.write(input.resolve("part-2.jsonl"), 2 * part, 3 * part);
        halt(stream("stream-3", input, output).systemProperty(FaultInjection.HALT_AFTER_COMMIT_TO, documents.toString()));
        forgetLastCommittedBatch(output.resolve("_checkpoint"));

        // 4: the last input; this run is left to finish.
        GeneratedCorpus.write(input.resolve("part-3.jsonl"), 3 * part, DOCUMENTS);
        succeed(stream("stream-4", input, output));
        tables.assertSameRows(clean, output, "after a stream was killed three times while input arrived");
    }

    @Test
    void biEncoderJobEncodesItsLabelsOnceOnTheDriverAndFindsWhatTheUniEncoderFinds() throws Exception {
        // span_bi scores every (word, label) pair as span does, from label vectors instead of a prompt
        int documents = DOCUMENTS / 10;
        Path input = GeneratedCorpus.write(root.resolve("corpus/bi-encoder.jsonl"), 0, documents);
        Path output = root.resolve("bi-encoder");
        String log = succeed(ExtractDriver.named(cluster, "bi-encoder")
                .args(commonArguments("bi-encoder", input, output, "span_bi")).args("--partitions", "4"));
        // the executors run in their own JVMs: they took the driver's label vectors instead of encoding the labels
        assertTrue(log.contains("labels encoded on executors=0,"), log);
        tables.assertSameRowsOfAnotherModel(clean, output, col("doc_id").lt(GeneratedCorpus.id(documents)),
                "a bi-encoder job with the uni-encoder fixture's scores");
    }

    /** Deletes the commit record of the stream's last planned micro-batch, when there is one. */
    private static void forgetLastCommittedBatch(Path checkpoint) throws IOException {
        Optional<Long> last;
        try (Stream<Path> files = Files.list(checkpoint.resolve("offsets"))) {
            last = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong)
                    .max(Long::compare);
        }
        assertTrue(last.isPresent(), "the halted run planned a micro-batch");
        Path commit = checkpoint.resolve("commits").resolve(String.valueOf(last.get()));
        Files.deleteIfExists(commit);
        Files.deleteIfExists(commit.resolveSibling("." + commit.getFileName() + ".crc"));
    }

    /** The job over {@code input} into {@code output}, with the run id {@code name}. */
    private static ExtractDriver job(String name, Path input, Path output) {
        return ExtractDriver.named(cluster, name).args(commonArguments(name, input, output)).args("--partitions", "8");
    }

    /** The job in streaming mode over the folder {@code input}. */
    private static ExtractDriver stream(String name, Path input, Path output) {
        return ExtractDriver.named(cluster, name).args(commonArguments(name, input, output))
                .args("--streaming", "true", "--inputFormat", "jsonl");
    }

    private static List<String> commonArguments(String name, Path input, Path output) {
        return commonArguments(name, input, output, "span");
    }

    private static List<String> commonArguments(String name, Path input, Path output, String fixture) {
        String model = Path.of(System.getProperty("gliner.repo.root", "."), "src/test/resources/fixtures", fixture)
                .toAbsolutePath().toString();
        return List.of("--input", input.toString(), "--output", output.toString(), "--model", model,
                "--labels", "person,location,organization,city", "--mode", "merge", "--runId", name, "--examples", "0");
    }

    /** Runs the job to its end on an idle cluster; fails unless it exits 0. */
    private static String succeed(ExtractDriver job) throws InterruptedException {
        cluster.awaitIdle(Duration.ofMinutes(1));
        try (ChildJvm driver = job.start()) {
            return finished(driver);
        }
    }

    /** Runs a job armed to halt on an idle cluster; fails unless it halted. */
    private static void halt(ExtractDriver job) throws InterruptedException {
        cluster.awaitIdle(Duration.ofMinutes(1));
        try (ChildJvm driver = job.start()) {
            if (!driver.awaitExit(JOB_LIMIT)) {
                fail(driver + " did not finish in " + JOB_LIMIT + "\n" + tail(driver.log()));
            }
            assertEquals(FaultInjection.HALT_STATUS, driver.exitValue(), "the driver halted at the fault\n" + tail(driver.log()));
        }
    }

    private static String finished(ChildJvm driver) throws InterruptedException {
        if (!driver.awaitExit(JOB_LIMIT)) {
            fail(driver + " did not finish in " + JOB_LIMIT + "\n" + tail(driver.log()) + cluster.daemonLogs());
        }
        assertEquals(0, driver.exitValue(), driver + " failed\n" + tail(driver.log()));
        return driver.log();
    }

    private static void awaitOrFail(BooleanSupplier condition, ChildJvm driver, String what) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!driver.isAlive()) {
                fail(driver + " exited before " + what + "\n" + tail(driver.log()));
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " in " + JOB_LIMIT + "\n" + tail(driver.log()));
            }
            Thread.sleep(20);
        }
    }

    private static String tail(String log) {
        return log.length() <= 20_000 ? log : "..." + log.substring(log.length() - 20_000);
    }
}
