package io.glinerspark.spark.jobs;

import io.glinerspark.spark.TestSpark;
import io.glinerspark.spark.task.JobModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extraction job end to end in this JVM, for the cases of bad labels, failed rows, text input, NULL and repeated
 * ids, limited incremental runs and streaming runs; the Delta tables are read back here. The job as spark-submit
 * launches it is {@link ExtractJobSubmitTest}.
 */
@Tag("spark")
class ExtractJobTest {

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
    void labelsNoTextFitsFailTheJobBeforeAnythingIsWritten() throws Exception {
        Path root = TestSpark.tempDir("job-labels");
        Path input = jsonl(root, "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}",
                "{\"id\": \"d2\", \"text\": \"Bob went to London\"}");
        String output = root.resolve("out").toString();
        String first = inProcess(List.of("--input", input.toString(), "--output", output, "--model",
                TestSpark.fixture("span"), "--labels", "person,location", "--runId", "run-1"));
        // two documents are not worth a second task
        assertTrue(first.contains("partitions 1 (as read)") && first.contains("CPU, 1 task"), first);
        long entities = spark.read().format("delta").load(output + "/entities").count();
        assertTrue(entities > 0);

        // One label whose prompt alone is longer than the model window: no text can be extracted with it.
        String endless = String.join(" ", Collections.nCopies(1000, "word"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> inProcess(List.of(
                "--input", input.toString(), "--output", output, "--model", TestSpark.fixture("span"),
                "--labels", "person," + endless, "--runId", "run-2")));
        assertTrue(error.getMessage().startsWith("spark.gliner.labels: "), error.getMessage());
        // A label that spells a prompt marker is refused the same way, naming it.
        IllegalArgumentException marker = assertThrows(IllegalArgumentException.class, () -> inProcess(List.of(
                "--input", input.toString(), "--output", output, "--model", TestSpark.fixture("span"),
                "--labels", "person,<<ENT>>", "--runId", "run-3")));
        assertTrue(marker.getMessage().startsWith("spark.gliner.labels: label '<<ENT>>' contains"), marker.getMessage());
        assertEquals(entities, spark.read().format("delta").load(output + "/entities").count());
        Dataset<Row> documents = spark.read().format("delta").load(output + "/documents");
        assertEquals(2, documents.filter(col("run_id").equalTo("run-1").and(col("error").isNull())).count());
    }

    @Test
    void anInputReadInFewPartitionsIsSpreadByItsSizeUpToThreePerCoreUnlessPartitionsIsSet() throws Exception {
        Path root = TestSpark.tempDir("job-partitions");
        String text = "Alice met Bob in Paris. ".repeat(30);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add("{\"id\": \"d" + i + "\", \"text\": \"" + text + "\"}");
        }
        // about 220 KB in one file, read as one partition: enough for 6 tasks of at least 32 KB, 3 per core of 2
        Dataset<Row> documents = spark.read().json(jsonl(root, lines.toArray(String[]::new)).toString());
        assertEquals(1, documents.rdd().getNumPartitions());
        WorkPartitions spread = WorkPartitions.of(documents, null, 2);
        assertEquals(new WorkPartitions(6, 1, "3 per core of 2"), spread);
        assertEquals(6, spread.apply(documents).rdd().getNumPartitions());
        assertEquals("6 (3 per core of 2; input 1)", spread.describe());
        assertEquals(new WorkPartitions(6, 1, "one per 32 KB of input"), WorkPartitions.of(documents, null, 8));
        assertEquals(new WorkPartitions(2, 1, "set"), WorkPartitions.of(documents, 2, 2));
        Dataset<Row> finer = documents.repartition(7);
        assertEquals(new WorkPartitions(7, 7, "as read"), WorkPartitions.of(finer, null, 2));
        assertEquals(7, WorkPartitions.of(finer, null, 2).apply(finer).rdd().getNumPartitions());
    }

    @Test
    void labelDescriptionsPromptTheLabelsAndChangeTheIncrementalKey() throws Exception {
        Path root = TestSpark.tempDir("job-descriptions");
        Path input = jsonl(root, "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}",
                "{\"id\": \"d2\", \"text\": \"Bob went to London\"}");
        String output = root.resolve("out").toString();
        // The fixture knows person and location; 'who' and 'where' only reach it through their descriptions.
        List<String> common = List.of("--input", input.toString(), "--output", output, "--model",
                TestSpark.fixture("span"), "--labels", "who,where", "--incremental", "true");
        String plain = inProcess(concat(common, "--runId", "run-1"));
        assertTrue(plain.contains("documents  2 written"), plain);
        assertEquals(Map.of(), entityCounts(output));
        String described = "{\"who\": \"person\", \"where\": \"location\"}";

        String run2 = inProcess(concat(common, "--runId", "run-2", "--labelDescriptions", described));
        assertTrue(run2.contains("documents  2 written"), "new descriptions redo every document: " + run2);
        assertTrue(run2.contains("2 prompted by their descriptions"), run2);
        assertEquals(Map.of("d1|Alice|who", 1L, "d1|Paris|where", 1L, "d2|Bob|who", 1L, "d2|London|where", 1L),
                entityCounts(output));
        String run3 = inProcess(concat(common, "--runId", "run-3", "--labelDescriptions", described));
        assertTrue(run3.contains("documents  0 written"), "the same descriptions find nothing left to do: " + run3);
        String run4 = inProcess(concat(common, "--runId", "run-4", "--labelDescriptions",
                "{\"who\": \"person\", \"where\": \"place\"}"));
        assertTrue(run4.contains("documents  2 written"), "changed descriptions redo every document: " + run4);
        assertEquals(Map.of("d1|Alice|who", 1L, "d2|Bob|who", 1L), entityCounts(output));

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> inProcess(concat(common,
                "--runId", "run-5", "--labelDescriptions", "{\"whom\": \"person\"}")));
        assertTrue(unknown.getMessage().startsWith("spark.gliner.labelDescriptions: describes 'whom', which is not "
                + "among spark.gliner.labels"), unknown.getMessage());
        IllegalArgumentException marker = assertThrows(IllegalArgumentException.class, () -> inProcess(concat(common,
                "--runId", "run-6", "--labelDescriptions", "{\"who\": \"<<SEP>>\"}")));
        assertTrue(marker.getMessage().startsWith("spark.gliner.labels: label 'who' (its description '<<SEP>>')"),
                marker.getMessage());
    }

    @Test
    void failedDocumentKeepsItsEntitiesAndIsRetriedByIncrementalRuns() throws Exception {
        Path root = TestSpark.tempDir("job-row-error");
        String longText = "Bob met Alice in London. ".repeat(100).trim();
        Path input = jsonl(root, "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}",
                "{\"id\": \"d2\", \"text\": \"" + longText + "\"}");
        String output = root.resolve("out").toString();
        List<String> common = List.of("--input", input.toString(), "--output", output, "--model",
                TestSpark.fixture("span"), "--labels", "person,location");
        inProcess(concat(common, "--runId", "run-1"));
        long longEntities = entitiesOf(output, "d2");
        assertTrue(longEntities > 0, "the long text is chunked and has entities");

        String failing = inProcess(concat(common, "--runId", "run-2", "--longText", "fail", "--incremental", "true"));
        assertTrue(failing.contains("documents  2 written (1 with errors)"), failing);
        assertEquals(longEntities, entitiesOf(output, "d2"), "a failed document keeps its stored entities");
        Row d2 = spark.read().format("delta").load(output + "/documents").filter(col("doc_id").equalTo("d2")).first();
        assertEquals("run-2", d2.getAs("error_run_id"));
        assertEquals("run-1", d2.getAs("run_id"));

        String retry = inProcess(concat(common, "--runId", "run-3", "--longText", "fail", "--incremental", "true"));
        assertTrue(retry.contains("documents  1 written (1 with errors)"), "only the failed document is retried: " + retry);
        assertEquals(longEntities, entitiesOf(output, "d2"));
    }

    @Test
    void textInputWithBlankLinesStoresEachDistinctLineOnce() throws Exception {
        Path root = TestSpark.tempDir("job-text");
        Path notes = root.resolve("notes.txt");
        Files.writeString(notes, "Alice lives in Paris\n\nBob went to London\n\nAlice lives in Paris\n");
        String output = root.resolve("out").toString();
        List<String> common = List.of("--input", notes.toString(), "--inputFormat", "text", "--textColumns", "value",
                "--output", output, "--model", TestSpark.fixture("span"), "--labels", "person,location");
        String first = inProcess(concat(common, "--runId", "run-1"));
        assertTrue(first.contains("documents  3 written (0 with errors)"), first);
        Map<String, Long> entities = entityCounts(output);
        inProcess(concat(common, "--runId", "run-2"));
        assertEquals(entities, entityCounts(output), "a second run replaces, never duplicates");
        assertTrue(entities.values().stream().allMatch(n -> n == 1), entities.toString());
        Dataset<Row> documents = spark.read().format("delta").load(output + "/documents");
        assertEquals(3, documents.count());
        assertEquals(0, (int) documents.filter(col("doc_id").equalTo(sha256(""))).first().getAs("entity_count"),
                "a blank line is a document without entities");
    }

    @Test
    void nullIdsAreDerivedFromTheTextAndStoredOnce() throws Exception {
        Path root = TestSpark.tempDir("job-null-id");
        Path input = jsonl(root, "{\"id\": null, \"text\": \"Alice lives in Paris\"}",
                "{\"id\": \"d2\", \"text\": \"Bob went to London\"}");
        String output = root.resolve("out").toString();
        List<String> common = List.of("--input", input.toString(), "--output", output, "--model",
                TestSpark.fixture("span"), "--labels", "person,location");
        inProcess(concat(common, "--runId", "run-1"));
        Map<String, Long> entities = entityCounts(output);
        inProcess(concat(common, "--runId", "run-2"));
        assertEquals(entities, entityCounts(output));
        List<String> ids = spark.read().format("delta").load(output + "/documents").select("doc_id").orderBy("doc_id")
                .as(Encoders.STRING()).collectAsList();
        List<String> expected = new ArrayList<>(List.of("d2", sha256("Alice lives in Paris")));
        expected.sort(null);
        assertEquals(expected, ids);
    }

    @Test
    void repeatedIdsAreOneDocumentOrAnErrorOfThatDocument() throws Exception {
        Path root = TestSpark.tempDir("job-repeated-id");
        Path input = jsonl(root, "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}",
                "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}",
                "{\"id\": \"d2\", \"text\": \"Bob went to London\"}",
                "{\"id\": \"d2\", \"text\": \"Carol stayed in Rome\"}");
        String output = root.resolve("out").toString();
        String log = inProcess(List.of("--input", input.toString(), "--output", output, "--model",
                TestSpark.fixture("span"), "--labels", "person,location", "--runId", "run-1"));
        assertTrue(log.contains("documents  2 written (1 with errors)"), log);
        assertTrue(log.contains("d2: document id 'd2' comes with 2 different texts"), log);
        assertEquals(Map.of("d1|Alice|person", 1L, "d1|Paris|location", 1L), entityCounts(output));
    }

    @Test
    void limitedIncrementalRunsWorkThroughTheInput() throws Exception {
        Path root = TestSpark.tempDir("job-limit");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            lines.add("{\"id\": \"d" + i + "\", \"text\": \"Alice number " + i + " lives in Paris\"}");
        }
        Path input = jsonl(root, lines.toArray(String[]::new));
        String output = root.resolve("out").toString();
        List<String> common = List.of("--input", input.toString(), "--output", output, "--model",
                TestSpark.fixture("span"), "--labels", "person,location", "--limit", "2", "--incremental", "true");
        List<Long> stored = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            inProcess(concat(common, "--runId", "run-" + run));
            stored.add(spark.read().format("delta").load(output + "/documents").count());
        }
        assertEquals(List.of(2L, 4L, 5L), stored);
    }

    @Test
    void jobInStreamingModeProcessesNewFilesOnlyOnEachRun() throws Exception {
        Path root = TestSpark.tempDir("stream-job");
        Path input = Files.createDirectories(root.resolve("in"));
        Files.writeString(input.resolve("a.jsonl"), "{\"id\": \"d1\", \"text\": \"Alice in Paris\"}\n");
        List<String> arguments = List.of("--input", input.toString(), "--output", root.resolve("out").toString(),
                "--model", TestSpark.fixture("span"), "--labels", "person,location", "--streaming", "true");
        long preparedBefore = JobModel.preparations();
        String first = inProcess(arguments);
        assertTrue(first.contains("documents  1 written"), first);
        assertTrue(first.contains("streaming"), first);
        assertEquals(1, JobModel.preparations() - preparedBefore,
                "the job prepares its model once and its micro-batches reuse it");

        Files.writeString(input.resolve("b.jsonl"), "{\"id\": \"d2\", \"text\": \"Bob in London\"}\n");
        String second = inProcess(arguments);
        assertTrue(second.contains("documents  1 written"), second);
        assertEquals(2, spark.read().format("delta").load(root.resolve("out/documents").toString()).count());
        assertEquals(4, spark.read().format("delta").load(root.resolve("out/entities").toString()).count());
    }

    @Test
    void overwriteIsRefusedForStreamsBeforeAnythingIsWritten() throws Exception {
        Path root = TestSpark.tempDir("stream-overwrite");
        Path input = Files.createDirectories(root.resolve("in"));
        Files.writeString(input.resolve("a.jsonl"), "{\"id\": \"d1\", \"text\": \"Alice in Paris\"}\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> inProcess(List.of(
                "--input", input.toString(), "--output", root.resolve("out").toString(), "--model",
                TestSpark.fixture("span"), "--labels", "person,location", "--streaming", "true", "--mode", "overwrite")));
        assertTrue(error.getMessage().contains("overwrite cannot write a stream"), error.getMessage());
        assertFalse(Files.exists(root.resolve("out")), "nothing written");
    }

    @Test
    void idColumnIsResolvedAsSparkResolvesNamesAndAMissingOneFailsTheJob() throws Exception {
        Path root = TestSpark.tempDir("job-id-column");
        Path input = jsonl(root, "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}",
                "{\"id\": \"d2\", \"text\": \"Bob went to London\"}");
        String output = root.resolve("out").toString();
        List<String> common = List.of("--input", input.toString(), "--output", output, "--model",
                TestSpark.fixture("span"), "--labels", "person,location");
        String log = inProcess(concat(common, "--idColumn", "ID", "--runId", "run-1"));
        assertTrue(log.contains("ids: column id"), log);
        assertFalse(log.contains("Alice") || log.contains("Paris"), "no entity text in the summary unless asked: " + log);
        assertEquals(List.of("d1", "d2"), spark.read().format("delta").load(output + "/documents").select("doc_id")
                .orderBy("doc_id").as(Encoders.STRING()).collectAsList());

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> inProcess(concat(common, "--idColumn", "doc_key", "--runId", "run-2")));
        assertTrue(error.getMessage().startsWith("spark.gliner.idColumn: column 'doc_key' not in input"), error.getMessage());
        assertEquals(0, spark.read().format("delta").load(output + "/documents").filter(col("run_id").equalTo("run-2"))
                .count(), "nothing written");
        assertEquals(2, spark.read().format("delta").load(output + "/documents").count());
    }

    @Test
    void anOutputWithoutInputAndACatalogStreamWithoutCheckpointFailBeforeAnything() throws Exception {
        Path root = TestSpark.tempDir("job-no-input");
        IllegalArgumentException noInput = assertThrows(IllegalArgumentException.class, () -> inProcess(List.of(
                "--output", root.resolve("out").toString(), "--model", TestSpark.fixture("span"))));
        assertTrue(noInput.getMessage().startsWith("spark.gliner.input is not set, but spark.gliner.output or "
                + "spark.gliner.outputTable is"), noInput.getMessage());
        assertFalse(Files.exists(root.resolve("out")), "the sample corpus is not stored");

        Path input = Files.createDirectories(root.resolve("in"));
        Files.writeString(input.resolve("a.jsonl"), "{\"id\": \"d1\", \"text\": \"Alice in Paris\"}\n");
        IllegalArgumentException noCheckpoint = assertThrows(IllegalArgumentException.class, () -> inProcess(List.of(
                "--input", input.toString(), "--outputTable", "stream_without_checkpoint", "--model",
                TestSpark.fixture("span"), "--streaming", "true")));
        assertTrue(noCheckpoint.getMessage().contains("needs spark.gliner.checkpoint"), noCheckpoint.getMessage());
        assertFalse(spark.catalog().tableExists("stream_without_checkpoint"));
    }

    @Test
    void overwriteOfALimitedRunIsRefused() throws Exception {
        Path root = TestSpark.tempDir("job-overwrite-limit");
        Path input = jsonl(root, "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> inProcess(List.of(
                "--input", input.toString(), "--output", root.resolve("out").toString(), "--model",
                TestSpark.fixture("span"), "--mode", "overwrite", "--limit", "1")));
        assertTrue(error.getMessage().contains("spark.gliner.mode=overwrite cannot be combined with spark.gliner.limit=1"),
                error.getMessage());
        assertFalse(Files.exists(root.resolve("out")), "nothing written");
    }

    /** Runs the job in this JVM, on the test's session, and returns what it printed. */
    private static String inProcess(List<String> arguments) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ExtractJobOptions options = ExtractJobOptions.parse(arguments, Map.of(), TestSpark.repoRoot());
        new ExtractJob(spark, options, new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static Path jsonl(Path folder, String... lines) throws IOException {
        Path file = folder.resolve("input.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static List<String> concat(List<String> arguments, String... more) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(List.of(more));
        return all;
    }

    private static long entitiesOf(String output, String docId) {
        return spark.read().format("delta").load(output + "/entities").filter(col("doc_id").equalTo(docId)).count();
    }

    private static Map<String, Long> entityCounts(String output) {
        Map<String, Long> counts = new TreeMap<>();
        for (Row row : spark.read().format("delta").load(output + "/entities").collectAsList()) {
            counts.merge(row.getAs("doc_id") + "|" + row.getAs("entity_text") + "|" + row.getAs("label"), 1L, Long::sum);
        }
        return counts;
    }

    /** A derived id: the prefix that keeps it apart from ids of the id column, and the text's SHA-256. */
    private static String sha256(String text) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
