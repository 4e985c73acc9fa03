package io.glinerspark.spark.jobs;

import io.glinerspark.settings.WriteMode;
import io.glinerspark.spark.TestSpark;
import io.glinerspark.spark.delta.DeltaTarget;
import io.glinerspark.spark.delta.DocumentResults;
import io.glinerspark.spark.delta.EntityTablePipeline;
import io.glinerspark.spark.delta.EntityTableWriter;
import io.glinerspark.spark.ml.GlinerTransformer;
import io.glinerspark.spark.task.JobModel;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipeline built with {@link EntityTablePipeline#create} keys its results as the extraction job does: same model
 * id, revision and labels fingerprint, so after the job has written a corpus the pipeline finds nothing left to do
 * in it, whichever way the same model files are named.
 */
@Tag("spark")
class PipelineProvenanceTest {

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
    void aPipelineFromTheTransformerSharesTheJobsIncrementalKeys() throws Exception {
        Path root = TestSpark.tempDir("pipeline-provenance");
        Path input = root.resolve("docs.jsonl");
        Files.writeString(input, """
                {"id": 1, "text": "Alice Smith moved from London to Paris."}
                {"id": 2, "text": "Bob Jones lives in Washington."}
                {"id": 3, "text": ""}
                """);
        String model = TestSpark.fixture("span");
        String output = root.resolve("out").toString();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ExtractJobOptions options = ExtractJobOptions.parse(List.of("--input", input.toString(), "--output", output,
                "--model", model, "--labels", "person,location", "--runId", "job"), Map.of(), TestSpark.repoRoot());
        new ExtractJob(spark, options, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        Row stored = spark.read().format("delta").load(output + "/documents")
                .selectExpr("model_id", "model_revision", "labels_fingerprint").distinct().first();
        assertEquals(3, spark.read().format("delta").load(output + "/documents").count(), log.toString());

        EntityTableWriter writer = new EntityTableWriter(spark, DeltaTarget.path(output + "/entities"),
                DeltaTarget.path(output + "/documents"), WriteMode.MERGE, List.of());
        Dataset<Row> documents = spark.read().json(input.toString());
        // The same files, once as the job's folder and once as a Hadoop URI: the model is one, its key too.
        for (String source : List.of(model, Path.of(model).toUri().toString())) {
            GlinerTransformer gliner = new GlinerTransformer().setLabels("person", "location").setModel(source);
            EntityTablePipeline pipeline = EntityTablePipeline.create(gliner, "id", List.of("text"), "pipeline",
                    Instant.now(), writer);
            DocumentResults.Provenance provenance = pipeline.provenance();
            assertEquals(stored.getString(0), provenance.modelId(), source);
            assertEquals(stored.getString(1), provenance.modelRevision(), source);
            assertEquals(stored.getString(2), provenance.labelsFingerprint(), source);
            assertEquals(0, pipeline.unprocessed(documents).count(), "the job's documents are done for " + source);
        }

        GlinerTransformer otherLabels = new GlinerTransformer().setLabels("person").setModel(model);
        EntityTablePipeline changed = EntityTablePipeline.create(otherLabels, "id", List.of("text"), "pipeline",
                Instant.now(), writer);
        assertEquals(3, changed.unprocessed(documents).count(), "other labels are other results");
    }

    @Test
    void aPipelineRefusesAModelPreparedForAnotherTransformerAndPerRowLabels() {
        String model = TestSpark.fixture("span");
        EntityTableWriter writer = new EntityTableWriter(spark, DeltaTarget.path("/unused/entities"),
                DeltaTarget.path("/unused/documents"), WriteMode.MERGE, List.of());
        GlinerTransformer gliner = new GlinerTransformer().setLabels("person").setModel(model);
        JobModel other = JobModel.prepare(spark, gliner.modelOptions().withSource("default"));
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () ->
                EntityTablePipeline.create(other, gliner, "id", List.of("text"), "run", Instant.now(), writer));
        assertTrue(mismatch.getMessage().contains("the transformer runs"), mismatch.getMessage());

        GlinerTransformer perRow = new GlinerTransformer().setLabelsCol("labels").setModel(model);
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class, () ->
                EntityTablePipeline.create(perRow, "id", List.of("text"), "run", Instant.now(), writer));
        assertTrue(labels.getMessage().contains("labelsCol"), labels.getMessage());
    }
}
