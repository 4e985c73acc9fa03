package io.glinerspark.spark;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File streams written micro-batch by micro-batch: restarts resume from the checkpoint, replayed batches change
 * nothing whether merged or appended, and overwrite is refused.
 */
class StreamingExtractionTest {

    private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);
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
    void twoMicroBatchesRestartAndReplayGiveEachResultOnce() throws Exception {
        Path root = TestSpark.tempDir("stream");
        Path input = Files.createDirectories(root.resolve("in"));
        String checkpoint = root.resolve("checkpoint").toString();
        EntityTableWriter writer = new EntityTableWriter(spark, EntityTableWriter.Target.path(root + "/entities"),
                EntityTableWriter.Target.path(root + "/documents"), EntityTableWriter.Mode.MERGE, List.of());
        GlinerTransformer transformer = new GlinerTransformer().setLabels("person", "location")
                .setModel(TestSpark.fixture("span"));
        DeltaExtraction extraction = new DeltaExtraction(transformer, "id", List.of("text"),
                new DocumentResults.Provenance("fixture", null, "fp", "stream", Instant.parse("2026-01-01T00:00:00Z")),
                writer);

        Files.writeString(input.resolve("part-1.json"), """
                {"id": "d1", "text": "Alice lives in Paris"}
                {"id": "d2", "text": "Bob and nobody else"}
                {"id": "d3", "text": "no names here"}
                """);
        runToEnd(extraction, input, checkpoint);
        assertEquals(Map.of("d1|Alice|person", 1L, "d1|Paris|location", 1L, "d2|Bob|person", 1L), entities(writer));
        assertEquals(3, writer.read(writer.documents()).count());

        // Second micro-batch after a restart: only the new file is read; d1 changed and is replaced.
        Files.writeString(input.resolve("part-2.json"), """
                {"id": "d1", "text": "John went to London"}
                {"id": "d4", "text": "Washington"}
                """);
        StreamingQuery second = runToEnd(extraction, input, checkpoint);
        assertEquals(2, second.lastProgress().numInputRows());
        Map<String, Long> afterSecond = entities(writer);
        assertEquals(Map.of("d1|John|person", 1L, "d1|London|location", 1L, "d2|Bob|person", 1L,
                "d4|Washington|location", 1L), afterSecond);
        assertEquals(4, writer.read(writer.documents()).count());

        // A crash after the merge but before the stream recorded the batch: the restart replays it.
        deleteLastCommit(checkpoint);
        long versionBefore = DeltaTable.forPath(spark, root + "/entities").history(1).first().getLong(0);
        StreamingQuery replay = runToEnd(extraction, input, checkpoint);
        assertEquals(2, replay.lastProgress().numInputRows(), "the unrecorded batch is processed again");
        assertTrue(DeltaTable.forPath(spark, root + "/entities").history(1).first().getLong(0) > versionBefore);
        assertEquals(afterSecond, entities(writer), "replaying a merged batch changes nothing");
        assertEquals(4, writer.read(writer.documents()).count());

        // Nothing new: no batch at all.
        long versionNow = DeltaTable.forPath(spark, root + "/entities").history(1).first().getLong(0);
        runToEnd(extraction, input, checkpoint);
        assertEquals(versionNow, DeltaTable.forPath(spark, root + "/entities").history(1).first().getLong(0));
    }

    @Test
    void jobInStreamingModeProcessesNewFilesOnlyOnEachRun() throws Exception {
        Path root = TestSpark.tempDir("stream-job");
        Path input = Files.createDirectories(root.resolve("in"));
        Files.writeString(input.resolve("a.jsonl"), "{\"id\": \"d1\", \"text\": \"Alice in Paris\"}\n");
        List<String> arguments = List.of("--input", input.toString(), "--output", root.resolve("out").toString(),
                "--model", TestSpark.fixture("span"), "--labels", "person,location", "--streaming", "true");
        String first = runJob(arguments);
        assertTrue(first.contains("documents  1 written"), first);
        assertTrue(first.contains("streaming"), first);

        Files.writeString(input.resolve("b.jsonl"), "{\"id\": \"d2\", \"text\": \"Bob in London\"}\n");
        String second = runJob(arguments);
        assertTrue(second.contains("documents  1 written"), second);
        assertEquals(2, spark.read().format("delta").load(root.resolve("out/documents").toString()).count());
        assertEquals(4, spark.read().format("delta").load(root.resolve("out/entities").toString()).count());
    }

    @Test
    void appendStreamStoresAReplayedMicroBatchOnce() throws Exception {
        Path root = TestSpark.tempDir("stream-append");
        Path input = Files.createDirectories(root.resolve("in"));
        String checkpoint = root.resolve("checkpoint").toString();
        EntityTableWriter writer = new EntityTableWriter(spark, EntityTableWriter.Target.path(root + "/entities"),
                EntityTableWriter.Target.path(root + "/documents"), EntityTableWriter.Mode.APPEND, List.of());
        DeltaExtraction extraction = new DeltaExtraction(new GlinerTransformer().setLabels("person", "location")
                .setModel(TestSpark.fixture("span")), "id", List.of("text"),
                new DocumentResults.Provenance("fixture", null, "fp", "stream", Instant.parse("2026-01-01T00:00:00Z")),
                writer);
        Files.writeString(input.resolve("part-1.json"), """
                {"id": "d1", "text": "Alice lives in Paris"}
                {"id": "d1", "text": "Alice lives in Paris"}
                {"id": "d2", "text": "Bob and nobody else"}
                {"id": "d3", "text": "John went to London"}
                {"id": "d3", "text": "Washington"}
                """);
        runToEnd(extraction, input, checkpoint);
        Files.writeString(input.resolve("part-2.json"), "{\"id\": \"d4\", \"text\": \"Washington\"}\n");
        runToEnd(extraction, input, checkpoint);
        Map<String, Long> stored = entities(writer);
        assertEquals(Map.of("d1|Alice|person", 1L, "d1|Paris|location", 1L, "d2|Bob|person", 1L,
                "d4|Washington|location", 1L), stored, "a repeated row is one document; conflicting ids get no entities");
        assertEquals(4, writer.read(writer.documents()).count());
        assertTrue(writer.read(writer.documents()).filter("doc_id = 'd3'").first().<String>getAs("error")
                .contains("different texts"));

        deleteLastCommit(checkpoint);
        StreamingQuery replay = runToEnd(extraction, input, checkpoint);
        assertEquals(1, replay.lastProgress().numInputRows(), "the unrecorded batch is processed again");
        assertEquals(stored, entities(writer), "an appended micro-batch is stored once however often it replays");
        assertEquals(4, writer.read(writer.documents()).count());
    }

    @Test
    void overwriteIsRefusedForStreamsBeforeAnythingIsWritten() throws Exception {
        Path root = TestSpark.tempDir("stream-overwrite");
        Path input = Files.createDirectories(root.resolve("in"));
        Files.writeString(input.resolve("a.jsonl"), "{\"id\": \"d1\", \"text\": \"Alice in Paris\"}\n");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> runJob(List.of(
                "--input", input.toString(), "--output", root.resolve("out").toString(), "--model",
                TestSpark.fixture("span"), "--labels", "person,location", "--streaming", "true", "--mode", "overwrite")));
        assertTrue(error.getMessage().contains("overwrite cannot write a stream"), error.getMessage());
        assertFalse(Files.exists(root.resolve("out")), "nothing written");
    }

    /** Forgets the stream's last recorded batch, as a crash after the write but before the commit would. */
    private static void deleteLastCommit(String checkpoint) throws Exception {
        Path commits = Path.of(checkpoint, "commits");
        try (var files = Files.list(commits)) {
            Path last = files.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .max((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()), Long.parseLong(b.getFileName().toString())))
                    .orElseThrow();
            Files.delete(last);
            Files.deleteIfExists(last.resolveSibling("." + last.getFileName() + ".crc"));
        }
    }

    private static String runJob(List<String> arguments) throws Exception {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        ExtractJobOptions options = ExtractJobOptions.parse(arguments, Map.of(), TestSpark.repoRoot());
        new ExtractJob(spark, options, new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8)).run();
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static StreamingQuery runToEnd(DeltaExtraction extraction, Path input, String checkpoint) throws Exception {
        Dataset<Row> stream = spark.readStream().schema(SCHEMA).json(input.toString());
        StreamingQuery query = extraction.startStream(stream, checkpoint, Trigger.AvailableNow());
        query.awaitTermination();
        return query;
    }

    private static Map<String, Long> entities(EntityTableWriter writer) {
        Map<String, Long> counts = new TreeMap<>();
        for (Row row : writer.read(writer.entities()).collectAsList()) {
            counts.merge(row.getAs("doc_id") + "|" + row.getAs("entity_text") + "|" + row.getAs("label"), 1L, Long::sum);
        }
        return counts;
    }
}
