package io.glinerspark.spark.delta;

import io.delta.tables.DeltaTable;
import io.glinerspark.settings.WriteMode;
import io.glinerspark.spark.TestSpark;
import io.glinerspark.spark.ml.GlinerTransformer;
import io.glinerspark.spark.task.JobModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File streams written micro-batch by micro-batch: restarts resume from the checkpoint, and replayed batches change
 * nothing whether merged or appended.
 */
@Tag("spark")
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
        EntityTableWriter writer = new EntityTableWriter(spark, DeltaTarget.path(root + "/entities"),
                DeltaTarget.path(root + "/documents"), WriteMode.MERGE, List.of());
        GlinerTransformer transformer = new GlinerTransformer().setLabels("person", "location")
                .setModel(TestSpark.fixture("span"));
        EntityTablePipeline extraction = new EntityTablePipeline(transformer, "id", List.of("text"),
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
    void appendStreamStoresAReplayedMicroBatchOnce() throws Exception {
        Path root = TestSpark.tempDir("stream-append");
        Path input = Files.createDirectories(root.resolve("in"));
        String checkpoint = root.resolve("checkpoint").toString();
        EntityTableWriter writer = new EntityTableWriter(spark, DeltaTarget.path(root + "/entities"),
                DeltaTarget.path(root + "/documents"), WriteMode.APPEND, List.of());
        EntityTablePipeline extraction = new EntityTablePipeline(new GlinerTransformer().setLabels("person", "location")
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
    void aRecreatedCheckpointIsANewStreamAndMicroBatchesShareOnePreparedModel() throws Exception {
        Path root = TestSpark.tempDir("stream-recreated");
        Path input = Files.createDirectories(root.resolve("in"));
        Path checkpoint = root.resolve("checkpoint");
        EntityTableWriter writer = new EntityTableWriter(spark, DeltaTarget.path(root + "/entities"),
                DeltaTarget.path(root + "/documents"), WriteMode.APPEND, List.of());
        long preparedBefore = JobModel.preparations();
        EntityTablePipeline extraction = EntityTablePipeline.create(new GlinerTransformer().setLabels("person", "location")
                .setModel(TestSpark.fixture("span")), "id", List.of("text"), "stream", Instant.now(), writer);
        Files.writeString(input.resolve("part-1.json"), "{\"id\": \"d1\", \"text\": \"Alice lives in Paris\"}\n");
        Files.writeString(input.resolve("part-2.json"), "{\"id\": \"d2\", \"text\": \"Bob went to London\"}\n");
        StreamingQuery first = runToEnd(extraction, spark.readStream().schema(SCHEMA).option("maxFilesPerTrigger", 1)
                .json(input.toString()), checkpoint.toString());
        assertEquals(1, first.lastProgress().batchId(), "one micro-batch per file");
        assertEquals(1, JobModel.preparations() - preparedBefore,
                "the model is resolved and fingerprinted once for the pipeline, not again for each micro-batch");
        assertEquals(2, writer.read(writer.documents()).count());
        Map<String, Long> firstEntities = entities(writer);

        // The checkpoint is deleted and a new one starts at the same place: its micro-batch 0 is new input.
        try (var files = Files.walk(checkpoint)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.writeString(input.resolve("part-3.json"), "{\"id\": \"d3\", \"text\": \"Washington\"}\n");
        StreamingQuery second = runToEnd(extraction, input, checkpoint.toString());
        assertEquals(0, second.lastProgress().batchId());
        Map<String, Long> expected = new TreeMap<>();
        firstEntities.forEach((entity, count) -> expected.put(entity, 2 * count));
        expected.put("d3|Washington|location", 1L);
        assertEquals(expected, entities(writer), "a new stream stores its input again, the new file included");
        assertEquals(List.of("d1", "d1", "d2", "d2", "d3"), writer.read(writer.documents()).select("doc_id")
                .orderBy("doc_id").as(Encoders.STRING()).collectAsList());
    }

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

    private static StreamingQuery runToEnd(EntityTablePipeline extraction, Path input, String checkpoint) throws Exception {
        return runToEnd(extraction, spark.readStream().schema(SCHEMA).json(input.toString()), checkpoint);
    }

    private static StreamingQuery runToEnd(EntityTablePipeline extraction, Dataset<Row> stream, String checkpoint)
            throws Exception {
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
