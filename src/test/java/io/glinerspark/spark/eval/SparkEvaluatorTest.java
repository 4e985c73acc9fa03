package io.glinerspark.spark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glinerspark.ModelOptions;
import io.glinerspark.eval.DatasetLoaderTest;
import io.glinerspark.eval.DatasetScore;
import io.glinerspark.eval.EvaluationReport;
import io.glinerspark.eval.MatchCounts;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end runs on a real local Spark session with the {@code span} fixture model, whose logits are a known
 * function of the words (training/fixtures/README.md), so every expected count below is worked out by hand.
 */
@Tag("spark")
public class SparkEvaluatorTest {

    private static final double EPS = 1e-12;
    private static SparkSession spark;
    private static String fixtureModel;

    /*
     * Labels [person, location, organization]. Fixture logits: alice 3, bob 3 (person); carol 0.5 (p 0.62) kept;
     * eve 0.0 (p exactly 0.5) dropped at 0.5, kept at 0.4; new york/location 2 + 2 - 1 = 3 beats new and york
     * (2 each) in flat mode; google/organization 3; washington person 1.5 < location 2.0.
     * Gold per label after de-duplication (Alice is listed twice in sentence 0):
     *   person   gold 4 (Alice, Carol, Eve, Bob)  predicted 3 (Alice, Carol, Bob)      correct 3
     *   location gold 3 (New York, Google*, Washington) predicted 2 (New York, Washington) correct 2
     *   organization gold 0, predicted 1 (Google, annotated as location*)
     * total gold 7, predicted 6, correct 5: P 5/6, R 5/7, F1 10/13.
     */
    /** Five sentences the span fixture scores as worked out above; the cluster test evaluates them too. */
    public static final String TINY = """
            [{"sentence": "Alice lives in New York", "entities": [
                {"name": "Alice", "type": "PERSON", "pos": [0, 5]},
                {"name": "New York", "type": "Location", "pos": [15, 23]},
                {"name": "Alice", "type": "person", "pos": [0, 5]}]},
             {"sentence": "Carol and Eve", "entities": [
                {"name": "Carol", "type": "person", "pos": [0, 5]},
                {"name": "Eve", "type": "person", "pos": [10, 13]}]},
             {"sentence": "Google hired Bob", "entities": [
                {"name": "Google", "type": "location", "pos": [0, 6]},
                {"name": "Bob", "type": "person", "pos": [13, 16]}]},
             {"sentence": "Washington", "entities": [{"name": "Washington", "type": "location", "pos": [0, 10]}]},
             {"sentence": "", "entities": []}]
            """;
    public static final String TINY_LABELS = "[\"Person\", \"LOCATION\", \"organization\"]";

    /* Nested decoding also keeps new/location and york/location inside new york: predicted 4, gold 3, correct 3. */
    private static final String NESTED = """
            [{"sentence": "Alice lives in New York", "entities": [
                {"name": "Alice", "type": "person", "pos": [0, 5]},
                {"name": "New York", "type": "location", "pos": [15, 23]},
                {"name": "York", "type": "location", "pos": [19, 23]}]}]
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("SparkEvaluatorTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                // Delta rebuilds table state over 50 partitions by default: tiny test tables need one
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .getOrCreate();
        fixtureModel = Path.of(System.getProperty("gliner.repo.root"), "src/test/resources/fixtures/span").toString();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private EvaluationReport evaluate(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--model";
        all[1] = fixtureModel;
        System.arraycopy(args, 0, all, 2, args.length);
        EvaluateJob.Arguments arguments = EvaluateJob.Arguments.parse(all);
        return EvaluateJob.run(spark, arguments, EvaluateJob.load(arguments));
    }

    @Test
    void scoresAGlinerJsonDatasetAsTheReference() throws IOException {
        Path data = DatasetLoaderTest.glinerDataset(dir.resolve("tiny"), "test", TINY, TINY_LABELS);
        DatasetScore tiny = evaluate("--data", data.toString()).datasets().get(0);
        assertEquals("tiny", tiny.name());
        assertFalse(tiny.nested());
        assertEquals(5, tiny.sentences());
        assertEquals(List.of("person", "location", "organization"), List.copyOf(tiny.labels().keySet()));
        assertEquals(new MatchCounts(4, 3, 3), tiny.labels().get("person"));
        assertEquals(new MatchCounts(3, 2, 2), tiny.labels().get("location"));
        assertEquals(new MatchCounts(0, 1, 0), tiny.labels().get("organization"));
        assertEquals(new MatchCounts(7, 6, 5), tiny.total());
        assertEquals(10.0 / 13, tiny.total().f1(), EPS);
    }

    /*
     * Partial labels, labels [person, location, organization]: "Google hired Bob" annotated for person only, so
     * google/organization (3) is never asked; "Alice lives in New York" annotated for no type, so nothing is asked
     * (asked everything, alice and new york would be two false positives); "Washington" has no "types" and is asked
     * every label. Per label: person gold 1 predicted 1 correct 1, location 1 1 1, organization 0 0 0.
     */
    private static final String PARTIAL = """
            [{"sentence": "Google hired Bob", "types": ["Person"], "entities": [
                {"name": "Bob", "type": "person", "pos": [13, 16]}]},
             {"sentence": "Alice lives in New York", "types": [], "entities": []},
             {"sentence": "Washington", "entities": [{"name": "Washington", "type": "location", "pos": [0, 10]}]}]
            """;

    @Test
    void partiallyLabelledSentencesAreAskedOnlyTheirOwnTypes() throws IOException {
        Path data = DatasetLoaderTest.glinerDataset(dir.resolve("partial"), "test", PARTIAL, TINY_LABELS);
        DatasetScore partial = evaluate("--data", data.toString()).datasets().get(0);
        assertEquals(3, partial.sentences());
        assertEquals(new MatchCounts(1, 1, 1), partial.labels().get("person"));
        assertEquals(new MatchCounts(1, 1, 1), partial.labels().get("location"));
        assertEquals(MatchCounts.ZERO, partial.labels().get("organization"));
        assertEquals(1.0, partial.total().f1(), EPS);
    }

    @Test
    void thresholdReachesTheModel() throws IOException {
        Path data = DatasetLoaderTest.glinerDataset(dir.resolve("tiny"), "test", TINY, TINY_LABELS);
        EvaluationReport report = evaluate("--data", data.toString(), "--threshold", "0.4");
        assertEquals(0.4, report.threshold());
        // eve (p = 0.5) now passes
        assertEquals(new MatchCounts(4, 4, 4), report.datasets().get(0).labels().get("person"));
    }

    @Test
    void folderOfDatasetsDecodesCorpusNamesNestedAndAveragesF1() throws IOException {
        DatasetLoaderTest.glinerDataset(dir.resolve("tiny"), "test", TINY, TINY_LABELS);
        DatasetLoaderTest.glinerDataset(dir.resolve("tinyCorpus"), "test", NESTED, "[\"person\", \"location\"]");
        EvaluationReport report = evaluate("--data", dir.toString());
        assertEquals(List.of("tiny", "tinyCorpus"), report.datasets().stream().map(DatasetScore::name).toList());
        DatasetScore nested = report.datasets().get(1);
        assertTrue(nested.nested());
        assertEquals(new MatchCounts(3, 4, 3), nested.total());
        assertEquals(6.0 / 7, nested.total().f1(), EPS);
        assertEquals((10.0 / 13 + 6.0 / 7) / 2, report.averageF1(), EPS);

        // the same dataset under a name without ACE/GENIA/Corpus is decoded flat: only alice and new york
        DatasetLoaderTest.glinerDataset(dir.resolve("flat"), "test", NESTED, "[\"person\", \"location\"]");
        assertEquals(new MatchCounts(3, 2, 2), evaluate("--data", dir.resolve("flat").toString()).datasets().get(0).total());
        assertEquals(new MatchCounts(3, 4, 3),
                evaluate("--data", dir.resolve("flat").toString(), "--nested", "true").datasets().get(0).total());
    }

    @Test
    void countsAddUpAcrossPartitions() throws IOException {
        String oneCopy = TINY.strip();
        String body = oneCopy.substring(1, oneCopy.length() - 1);
        String many = "[" + String.join(",", Collections.nCopies(30, body)) + "]";
        Path data = DatasetLoaderTest.glinerDataset(dir.resolve("many"), "test", many, TINY_LABELS);
        DatasetScore score = evaluate("--data", data.toString()).datasets().get(0);
        assertEquals(150, score.sentences());
        assertEquals(new MatchCounts(210, 180, 150), score.total());
        assertTrue(new SparkEvaluator(spark, ModelOptions.defaults(), 0.5).partitions(150) > 1,
                "150 sentences must be spread over several partitions for this test to mean anything");
    }

    @Test
    void scoresAConllFileThroughTheLabelMapping() throws IOException {
        Path file = dir.resolve("tiny.conll");
        Files.writeString(file, """
                -DOCSTART- -X- O O

                Alice NNP I-NP I-PER
                lives VBZ I-VP O
                in IN I-PP O
                New NNP I-NP I-LOC
                York NNP I-NP I-LOC

                Paris NNP I-NP I-LOC
                and CC O O
                London NNP I-NP I-LOC
                """);
        EvaluationReport report = evaluate("--data", file.toString(), "--labelsMap", "PER=person,LOC=location");
        DatasetScore conll = report.datasets().get(0);
        assertEquals("tiny.conll", conll.name());
        assertEquals(new MatchCounts(1, 1, 1), conll.labels().get("person"));
        assertEquals(new MatchCounts(3, 3, 3), conll.labels().get("location"));
        assertEquals(1.0, report.averageF1(), EPS);
    }

    @Test
    void deltaOutAppendsOneRowPerDataset() throws IOException {
        DatasetLoaderTest.glinerDataset(dir.resolve("data/tiny"), "test", TINY, TINY_LABELS);
        DatasetLoaderTest.glinerDataset(dir.resolve("data/tinyCorpus"), "test", NESTED, "[\"person\", \"location\"]");
        String table = dir.resolve("results").toString();
        evaluate("--data", dir.resolve("data").toString(), "--deltaOut", table, "--threshold", "0.4");

        List<Row> rows = spark.read().format("delta").load(table).orderBy("dataset").collectAsList();
        assertEquals(List.of("tiny", "tinyCorpus"), rows.stream().map(r -> r.<String>getAs("dataset")).toList());
        Row tiny = rows.get(0);
        assertEquals(fixtureModel, tiny.getAs("model"));
        assertEquals(0.4, (double) tiny.getAs("threshold"));
        assertEquals(List.of(7L, 7L, 6L), List.of(tiny.<Long>getAs("gold"), tiny.<Long>getAs("predicted"),
                tiny.<Long>getAs("correct")));
        assertEquals(6.0 / 7, (double) tiny.getAs("f1"), EPS);
        assertTrue((boolean) rows.get(1).getAs("nested"));
        assertEquals((6.0 / 7 + 6.0 / 7) / 2, (double) tiny.getAs("average_f1"), EPS);
    }

    @Test
    void resultsTableKeepsEveryFieldOfAReport() {
        Map<String, MatchCounts> labels = new LinkedHashMap<>();
        labels.put("person", new MatchCounts(4, 2, 1));
        labels.put("date", MatchCounts.ZERO);
        EvaluationReport report = new EvaluationReport("hf://owner/model", 0.5, List.of(
                new DatasetScore("conll", false, 12, labels), new DatasetScore("ACE05", true, 3, Map.of())));
        String table = dir.resolve("table").toString();
        Instant runTime = Instant.parse("2026-01-02T03:04:05Z");
        String runId = ResultsTable.append(spark, report, runTime, table);
        String laterRunId = ResultsTable.append(spark, report, runTime.plusSeconds(60), table);

        List<Row> all = spark.read().format("delta").load(table).orderBy("run_time", "dataset").collectAsList();
        assertEquals(4, all.size());
        assertEquals(List.of(runId, runId, laterRunId, laterRunId),
                all.stream().map(r -> r.<String>getAs("run_id")).toList());
        assertEquals(List.of(ResultsTable.SCHEMA.fieldNames()), List.of(all.get(0).schema().fieldNames()));
        Row ace = all.get(0);
        assertTrue((boolean) ace.getAs("nested"));
        assertTrue(ace.getList(ace.fieldIndex("labels")).isEmpty());
        Row conll = all.get(1);
        assertEquals(runTime, conll.<Timestamp>getAs("run_time").toInstant());
        assertEquals("hf://owner/model", conll.getAs("model"));
        assertEquals(0.5, (double) conll.getAs("threshold"));
        assertEquals("conll", conll.getAs("dataset"));
        assertFalse((boolean) conll.getAs("nested"));
        assertEquals(12L, (long) conll.getAs("sentences"));
        assertEquals(List.of(4L, 2L, 1L), List.of(conll.<Long>getAs("gold"), conll.<Long>getAs("predicted"),
                conll.<Long>getAs("correct")));
        assertEquals(0.5, (double) conll.getAs("precision"), EPS);
        assertEquals(0.25, (double) conll.getAs("recall"), EPS);
        assertEquals(1.0 / 3, (double) conll.getAs("f1"), EPS);
        assertEquals(1.0 / 6, (double) conll.getAs("average_f1"), EPS);
        List<Row> labelRows = conll.getList(conll.fieldIndex("labels"));
        assertEquals(List.of("person", "date"), labelRows.stream().map(r -> r.<String>getAs("label")).toList());
        assertEquals(1.0 / 3, (double) labelRows.get(0).getAs("f1"), EPS);
        assertEquals(0L, (long) labelRows.get(1).getAs("gold"));
    }

    @Test
    void jsonLineCarriesTheNumbers() throws Exception {
        Path data = DatasetLoaderTest.glinerDataset(dir.resolve("tiny"), "test", TINY, TINY_LABELS);
        JsonNode root = new ObjectMapper().readTree(evaluate("--data", data.toString()).toJsonLine());
        assertEquals(fixtureModel, root.get("model").asText());
        JsonNode tiny = root.get("datasets").get(0);
        assertEquals(5.0 / 6, tiny.get("precision").asDouble(), EPS);
        assertEquals(5.0 / 7, tiny.get("recall").asDouble(), EPS);
        assertEquals(10.0 / 13, tiny.get("f1").asDouble(), EPS);
        assertEquals(1.0, tiny.get("labels").get("person").get("precision").asDouble(), EPS);
        assertEquals(10.0 / 13, root.get("average_f1").asDouble(), EPS);
    }
}
