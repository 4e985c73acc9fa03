package io.glinerspark.spark.delta;

import io.glinerspark.settings.WriteMode;
import io.glinerspark.spark.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delta writes of hand-made results: merge idempotence, replacement, markers, retries, modes, failed documents,
 * replayed stream batches, concurrent writers. No model needed.
 */
@Tag("spark")
class EntityTableWriterTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        // local[2,2]: two threads, and a failed task is retried once.
        spark = TestSpark.start("local[2,2]");
        TestSpark.registerFailFirstAttempt(spark);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void mergeTwiceGivesTheSameTable() {
        EntityTableWriter writer = writer("merge-twice", WriteMode.MERGE);
        Dataset<Row> batch = results("run-1", doc("d1", "hash1", entity("Ada", "person", 0, 3)),
                doc("d2", "hash2", entity("London", "city", 10, 16), entity("Babbage", "person", 0, 7)),
                doc("d3", "hash3"));
        writer.write(batch);
        Map<String, Long> first = entityCounts(writer);
        writer.write(results("run-2", doc("d1", "hash1", entity("Ada", "person", 0, 3)),
                doc("d2", "hash2", entity("London", "city", 10, 16), entity("Babbage", "person", 0, 7)),
                doc("d3", "hash3")));
        assertEquals(first, entityCounts(writer));
        assertEquals(Map.of("d1|Ada|person", 1L, "d2|London|city", 1L, "d2|Babbage|person", 1L), first);
        assertEquals(3, writer.read(writer.documents()).count());
        assertEquals(List.of("run-2"), writer.read(writer.entities()).select("run_id").distinct().as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList());
    }

    @Test
    void changedDocumentReplacesItsEntitiesAndKeepsOthers() {
        EntityTableWriter writer = writer("changed", WriteMode.MERGE);
        writer.write(results("run-1", doc("d1", "old", entity("Ada", "person", 0, 3), entity("Paris", "city", 8, 13)),
                doc("d2", "h2", entity("Rome", "city", 0, 4))));
        writer.write(results("run-2", doc("d1", "new", entity("Grace", "person", 0, 5))));
        assertEquals(Map.of("d1|Grace|person", 1L, "d2|Rome|city", 1L), entityCounts(writer));
        Row d1 = writer.read(writer.documents()).filter(col("doc_id").equalTo("d1")).first();
        assertEquals("new", d1.getAs("text_hash"));
        assertEquals(1, (int) d1.getAs("entity_count"));
    }

    @Test
    void documentThatLosesAllEntitiesKeepsNone() {
        EntityTableWriter writer = writer("emptied", WriteMode.MERGE);
        writer.write(results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3))));
        writer.write(results("run-2", doc("d1", "h1b")));
        assertEquals(0, writer.read(writer.entities()).count());
        assertEquals(0, (int) writer.read(writer.documents()).first().getAs("entity_count"));
    }

    @Test
    void unprocessedSkipsDocumentsAlreadyDoneIncludingThoseWithoutEntities() {
        EntityTableWriter writer = writer("incremental", WriteMode.MERGE);
        Dataset<Row> candidates = results("run-0", doc("d1", "h1"), doc("d2", "h2"), doc("d3", "h3"))
                .select("doc_id", "source_column", "text_hash", "model_id", "labels_fingerprint");
        assertEquals(3, writer.unprocessed(candidates).count());
        writer.write(results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3)), doc("d2", "h2")));
        List<String> left = writer.unprocessed(candidates).select("doc_id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
        assertEquals(List.of("d3"), left);

        Dataset<Row> changed = results("run-0", doc("d2", "h2-changed"))
                .select("doc_id", "source_column", "text_hash", "model_id", "labels_fingerprint");
        assertEquals(1, writer.unprocessed(changed).count(), "a changed text is processed again");
    }

    @Test
    void taskRetriedAfterAFailureLeavesNoDuplicates() {
        EntityTableWriter writer = writer("retry", WriteMode.MERGE);
        writer.write(results("run-0", doc("d9", "h9", entity("Old", "person", 0, 3))));
        Dataset<Row> batch = results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3)),
                doc("d2", "h2", entity("Rome", "city", 0, 4)), doc("d9", "h9", entity("New", "person", 0, 3)))
                .repartition(2)
                .withColumn("run_id", callUDF("fail_first_attempt", col("run_id")));
        writer.write(batch);
        assertEquals(Map.of("d1|Ada|person", 1L, "d2|Rome|city", 1L, "d9|New|person", 1L), entityCounts(writer));
        assertEquals(3, writer.read(writer.documents()).count());

        EntityTableWriter appending = writer("retry-append", WriteMode.APPEND);
        appending.write(batch);
        assertEquals(3, appending.read(appending.entities()).count());
    }

    @Test
    void mergeRejectsABatchWithRepeatedKeys() {
        EntityTableWriter writer = writer("duplicates", WriteMode.MERGE);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> writer.write(results("run-1", doc("d1", "a"), doc("d1", "b"))));
        assertTrue(error.getMessage().contains("doc_id=d1 source_column=text model_id=fixture (2 times)"), error.getMessage());
    }

    @Test
    void appendAddsAndOverwriteReplaces() {
        EntityTableWriter append = writer("modes", WriteMode.APPEND);
        Dataset<Row> batch = results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3)));
        append.write(batch);
        append.write(batch);
        assertEquals(2, append.read(append.entities()).count());
        EntityTableWriter overwrite = new EntityTableWriter(spark, append.entities(), append.documents(),
                WriteMode.OVERWRITE, List.of("label"));
        overwrite.write(batch);
        assertEquals(1, overwrite.read(overwrite.entities()).count());
        assertEquals(1, overwrite.read(overwrite.documents()).count());
    }

    @Test
    void partitionColumnsThatDisagreeWithExistingTablesFailBeforeWriting() {
        EntityTableWriter unpartitioned = writer("partition-mismatch", WriteMode.MERGE);
        unpartitioned.write(results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3))));
        EntityTableWriter byLabel = new EntityTableWriter(spark, unpartitioned.entities(), unpartitioned.documents(),
                WriteMode.MERGE, List.of("label"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> byLabel.write(results("run-2", doc("d2", "h2", entity("Rome", "city", 0, 4)))));
        assertTrue(error.getMessage().contains("table " + unpartitioned.entities() + " is partitioned by [], but the "
                + "partition columns [label] ask for [label]"), error.getMessage());
        assertEquals(1, unpartitioned.read(unpartitioned.entities()).count(), "nothing written");
        assertEquals(1, unpartitioned.read(unpartitioned.documents()).count());
        // Columns the documents table lacks leave it unpartitioned, which agrees with the table as it is.
        new EntityTableWriter(spark, DeltaTarget.path(TestSpark.tempDir("partition-other") + "/entities"),
                unpartitioned.documents(), WriteMode.MERGE, List.of("label")).requirePartitioning();
    }

    @Test
    void catalogTablesWorkLikePaths() {
        EntityTableWriter writer = new EntityTableWriter(spark, DeltaTarget.table("gliner_entities"),
                DeltaTarget.table("gliner_documents"), WriteMode.MERGE, List.of("label"));
        writer.write(results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3))));
        writer.write(results("run-2", doc("d1", "h1", entity("Ada", "person", 0, 3))));
        assertEquals(1, spark.table("gliner_entities").count());
        assertEquals(List.of("label"), spark.sql("DESCRIBE DETAIL gliner_entities").first().getList(
                spark.sql("DESCRIBE DETAIL gliner_entities").first().fieldIndex("partitionColumns")));
    }

    @Test
    void failedResultKeepsStoredEntitiesAndIsRetriedByTheNextIncrementalRun() {
        EntityTableWriter writer = writer("failed", WriteMode.MERGE);
        writer.write(results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3)), doc("d2", "h2")));
        WriteSummary second = writer.write(results("run-2", failed("d1", "h1", "text too long"),
                doc("d2", "h2b", entity("Rome", "city", 0, 4)), failed("d3", "h3", "text too long")));
        assertEquals(List.of(3L, 2L), List.of(second.documents(), second.failed()), "counted from the batch written");
        assertEquals(Map.of("city", 1L), second.entitiesPerLabel());
        assertEquals(List.of("d1: text too long", "d3: text too long"), second.firstErrors().stream().sorted().toList());
        assertTrue(second.resultSeconds() > 0 && second.deltaSeconds() > 0, second.toString());
        WriteSummary both = writer.written();
        assertEquals(List.of(5L, 2L), List.of(both.documents(), both.failed()));
        assertEquals(Map.of("person", 1L, "city", 1L), both.entitiesPerLabel());
        assertEquals(second.firstErrors(), both.firstErrors());
        assertTrue(both.deltaSeconds() > second.deltaSeconds(), both.toString());

        assertEquals(Map.of("d1|Ada|person", 1L, "d2|Rome|city", 1L), entityCounts(writer), "d1 keeps its entities");
        Row d1 = writer.read(writer.documents()).filter(col("doc_id").equalTo("d1")).first();
        assertEquals("text too long", d1.getAs("error"));
        assertEquals("run-2", d1.getAs("error_run_id"));
        assertEquals("run-1", d1.getAs("run_id"), "the last good result stays described");
        assertEquals("h1", d1.getAs("text_hash"));
        assertEquals(1, (int) d1.getAs("entity_count"));
        Row d3 = writer.read(writer.documents()).filter(col("doc_id").equalTo("d3")).first();
        assertEquals("text too long", d3.getAs("error"));
        assertNull(d3.getAs("text_hash"), "no good result yet");
        assertNull(d3.getAs("entities"));

        Dataset<Row> candidates = results("run-3", doc("d1", "h1"), doc("d2", "h2b"), doc("d3", "h3"))
                .select("doc_id", "source_column", "text_hash", "model_id", "labels_fingerprint");
        assertEquals(List.of("d1", "d3"), writer.unprocessed(candidates).select("doc_id").orderBy("doc_id")
                .as(Encoders.STRING()).collectAsList(), "failed documents are pending");

        writer.write(results("run-3", doc("d1", "h1", entity("Ada", "person", 0, 3), entity("Paris", "city", 8, 13))));
        Row retried = writer.read(writer.documents()).filter(col("doc_id").equalTo("d1")).first();
        assertNull(retried.getAs("error"));
        assertNull(retried.getAs("error_run_id"));
        assertEquals(2, (int) retried.getAs("entity_count"));
        assertEquals(List.of("d3"), writer.unprocessed(candidates).select("doc_id").as(Encoders.STRING()).collectAsList());
    }

    @Test
    void failedResultRepairsEntitiesLeftByAWriterThatDiedBetweenItsTwoCommits() {
        EntityTableWriter writer = writer("died-between-commits", WriteMode.MERGE);
        writer.write(results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3)), doc("d2", "h2")));
        // A writer that replaced d1's entities and died before its documents commit.
        spark.read().format("delta").load(writer.entities().path()).limit(1)
                .withColumn("entity_text", org.apache.spark.sql.functions.lit("Lovelace"))
                .withColumn("run_id", org.apache.spark.sql.functions.lit("run-died"))
                .write().format("delta").mode("append").save(writer.entities().path());
        assertEquals(Map.of("d1|Ada|person", 1L, "d1|Lovelace|person", 1L), entityCounts(writer));

        writer.write(results("run-2", failed("d1", "h1", "text too long"), doc("d2", "h2b", entity("Rome", "city", 0, 4))));
        assertEquals(Map.of("d1|Ada|person", 1L, "d2|Rome|city", 1L), entityCounts(writer),
                "a failed result keeps what its documents row describes, without the dead writer's rows");
    }

    @Test
    void documentsTableWithoutErrorRunIdGainsTheColumn() {
        EntityTableWriter writer = writer("old-documents", WriteMode.MERGE);
        // A documents table as written before failed documents recorded their run.
        results("run-1", doc("d1", "h1", entity("Ada", "person", 0, 3)))
                .withColumn("entity_count", org.apache.spark.sql.functions.lit(1))
                .write().format("delta").save(writer.documents().path());
        assertNull(writer.read(writer.documents()).first().getAs("error_run_id"));
        writer.write(results("run-2", failed("d1", "h1", "text too long"), doc("d2", "h2")));
        Row d1 = writer.read(writer.documents()).filter(col("doc_id").equalTo("d1")).first();
        assertEquals("run-2", d1.getAs("error_run_id"));
        assertEquals("run-1", d1.getAs("run_id"));
        assertEquals(2, writer.read(writer.documents()).count());
    }

    @Test
    void replayedStreamBatchIsAppendedOnce() {
        EntityTableWriter writer = writer("stream-append", WriteMode.APPEND);
        Dataset<Row> first = results("stream", doc("d1", "h1", entity("Ada", "person", 0, 3)));
        writer.write(first, new StreamBatch("app-1", 0));
        writer.write(first, new StreamBatch("app-1", 0));
        writer.write(results("stream", doc("d2", "h2", entity("Rome", "city", 0, 4))),
                new StreamBatch("app-1", 1));
        assertEquals(Map.of("d1|Ada|person", 1L, "d2|Rome|city", 1L), entityCounts(writer));
        assertEquals(2, writer.read(writer.documents()).count());

        EntityTableWriter overwrite = new EntityTableWriter(spark, writer.entities(), writer.documents(),
                WriteMode.OVERWRITE, List.of());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> overwrite.write(first, new StreamBatch("app-1", 2)));
        assertTrue(error.getMessage().contains("overwrite cannot write a stream"), error.getMessage());
        assertEquals(2, writer.read(writer.documents()).count());
    }

    @Test
    void concurrentMergesOfOverlappingBatchesLeaveOneCompleteResultPerDocument() throws Exception {
        for (int round = 0; round < 3; round++) {
            // A new table each round: the first writes race to create it.
            EntityTableWriter writer = writer("concurrent-" + round, WriteMode.MERGE);
            Dataset<Row> a = results("run-a", doc("d1", "a1", entity("Ada", "person", 0, 3)),
                    doc("d2", "a2", entity("Rome", "city", 0, 4)), doc("d3", "a3", entity("Grace", "person", 0, 5)),
                    doc("d4", "a4"));
            Dataset<Row> b = results("run-b", doc("d3", "b3", entity("Alan", "person", 0, 4), entity("Oslo", "city", 9, 13)),
                    doc("d4", "b4", entity("Lima", "city", 0, 4)), doc("d5", "b5", entity("Kyiv", "city", 0, 4)));
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> writes = List.of(
                        threads.submit(() -> {
                            start.await();
                            writer.write(a);
                            return null;
                        }),
                        threads.submit(() -> {
                            start.await();
                            writer.write(b);
                            return null;
                        }));
                for (Future<?> write : writes) {
                    write.get(5, TimeUnit.MINUTES);
                }
            } finally {
                threads.shutdownNow();
            }

            Map<String, String> runOf = new TreeMap<>();
            for (Row row : writer.read(writer.documents()).collectAsList()) {
                assertNull(runOf.put(row.getAs("doc_id"), row.getAs("run_id")), "one documents row per document");
            }
            assertEquals(Map.of("d1", "run-a", "d2", "run-a", "d5", "run-b"),
                    Map.of("d1", runOf.get("d1"), "d2", runOf.get("d2"), "d5", runOf.get("d5")));
            Map<String, Long> expected = new TreeMap<>(Map.of("d1|Ada|person", 1L, "d2|Rome|city", 1L, "d5|Kyiv|city", 1L));
            if (runOf.get("d3").equals("run-a")) {
                expected.put("d3|Grace|person", 1L);
            } else {
                expected.putAll(Map.of("d3|Alan|person", 1L, "d3|Oslo|city", 1L));
            }
            if (runOf.get("d4").equals("run-b")) {
                expected.put("d4|Lima|city", 1L);
            }
            assertEquals(expected, entityCounts(writer), "entities are those the documents table describes");
            for (Row row : writer.read(writer.entities()).collectAsList()) {
                assertEquals(runOf.get(row.<String>getAs("doc_id")), row.getAs("run_id"));
            }
        }
    }

    // ---- helpers ----

    private static EntityTableWriter writer(String name, WriteMode mode) {
        String root = TestSpark.tempDir(name).toString();
        return new EntityTableWriter(spark, DeltaTarget.path(root + "/entities"),
                DeltaTarget.path(root + "/documents"), mode, List.of());
    }

    private static Row entity(String text, String label, int start, int end) {
        return RowFactory.create(text, label, start, end, 0.9f);
    }

    private record Doc(String id, String hash, Row[] entities, String error) {
    }

    private static Doc doc(String id, String hash, Row... entities) {
        return new Doc(id, hash, entities, null);
    }

    private static Doc failed(String id, String hash, String error) {
        return new Doc(id, hash, null, error);
    }

    private static Dataset<Row> results(String runId, Doc... docs) {
        List<Row> rows = new ArrayList<>();
        for (Doc d : docs) {
            rows.add(RowFactory.create(d.id(), "text", d.hash(), "fixture", "r1", "fp", runId,
                    Timestamp.from(Instant.parse("2026-01-01T00:00:00Z")), d.entities(), d.error()));
        }
        return spark.createDataFrame(rows, DocumentResults.SCHEMA);
    }

    private static Map<String, Long> entityCounts(EntityTableWriter writer) {
        Map<String, Long> counts = new TreeMap<>();
        for (Row row : writer.read(writer.entities()).collectAsList()) {
            counts.merge(row.getAs("doc_id") + "|" + row.getAs("entity_text") + "|" + row.getAs("label"), 1L, Long::sum);
        }
        return counts;
    }
}
