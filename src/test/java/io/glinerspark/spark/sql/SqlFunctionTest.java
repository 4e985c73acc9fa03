package io.glinerspark.spark.sql;

import io.glinerspark.spark.ScalaSeqs;
import io.glinerspark.spark.TestSpark;
import io.glinerspark.spark.ml.GlinerTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gliner_extract running on the fixture model in a session configured only by spark.sql.extensions,
 * spark.gliner.model and a small spark.gliner.sqlMaxTextChars, queried from spark.newSession() (what a Thrift server does per connection).
 */
@Tag("spark")
class SqlFunctionTest {

    private static final int MAX_TEXT_CHARS = 64;
    private static SparkSession root;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        root = SparkSession.builder().master("local[2]").appName("gliner-sql-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.extensions", "io.glinerspark.spark.sql.GlinerSparkSessionExtensions")
                .config("spark.gliner.model", TestSpark.fixture("span"))
                .config("spark.gliner.sqlMaxTextChars", Integer.toString(MAX_TEXT_CHARS))
                .getOrCreate();
        spark = root.newSession();
        spark.sql("CREATE TEMP VIEW docs AS SELECT * FROM VALUES "
                + "(1, 'Alice and Bob visited London', array('person')), "
                + "(2, NULL, array('person')), "
                + "(3, '', array('person')), "
                + "(4, 'london calling', array('city', 'location')) AS t(id, body, labels)");
        // Row 2's label list is one the model rejects; queries that guard the call with `ok` must never extract it.
        spark.sql("CREATE TEMP VIEW guarded AS SELECT * FROM VALUES "
                + "(1, 'Alice and Bob visited London', array('person', 'location'), true), "
                + "(2, 'Bob visited Paris', array('person', CAST(NULL AS STRING)), false), "
                + "(3, 'Alice', CAST(array() AS ARRAY<STRING>), true), "
                + "(4, 'Bob', CAST(NULL AS ARRAY<STRING>), true), "
                + "(5, NULL, array('person'), true) AS t(id, body, labels, ok)");
    }

    @AfterAll
    static void stop() {
        root.stop();
    }

    @Test
    void extractsWithTheSessionModelAndMapsNullAndEmpty() {
        List<Row> rows = spark.sql("SELECT id, gliner_extract(body, array('person', 'location', 'city')) AS e "
                + "FROM docs ORDER BY id").collectAsList();
        assertEquals(List.of("Alice|person|0|5", "Bob|person|10|13", "London|location|22|28"), entities(rows.get(0)));
        assertTrue(rows.get(1).isNullAt(1));
        assertEquals(List.of(), entities(rows.get(2)));
    }

    @Test
    void perRowLabelsThresholdAndOptions() {
        List<Row> rows = spark.sql("SELECT id, gliner_extract(body, labels, 0.5, map('multiLabel', 'true')) AS e "
                + "FROM docs WHERE id IN (1, 4) ORDER BY id").collectAsList();
        assertEquals(List.of("Alice|person|0|5", "Bob|person|10|13"), entities(rows.get(0)));
        assertEquals(List.of("london|city|0|6", "london|location|0|6"), entities(rows.get(1)).stream().sorted().toList());
    }

    @Test
    void lateralViewExplodeAndFilters() {
        List<Row> rows = spark.sql("SELECT id, ent.text, ent.label FROM docs "
                + "LATERAL VIEW explode(gliner_extract(body, array('person'))) t AS ent "
                + "WHERE size(gliner_extract(body, array('person'))) > 1 ORDER BY id, ent.start").collectAsList();
        assertEquals(List.of("1|Alice|person", "1|Bob|person"),
                rows.stream().map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2)).toList());
    }

    @Test
    void groupByACall() {
        List<Row> rows = spark.sql("SELECT size(gliner_extract(body, array('person'))) AS people, count(*) AS docs "
                + "FROM docs WHERE body IS NOT NULL GROUP BY size(gliner_extract(body, array('person'))) ORDER BY people")
                .collectAsList();
        assertEquals("[[0,2], [2,1]]", rows.toString());
    }

    @Test
    void sessionSettingsApplyToTheNextQuery() {
        SparkSession session = root.newSession();
        session.sql("SET spark.gliner.threshold=0.97");
        Row strict = session.sql("SELECT gliner_extract('Alice and Bob', array('person'))").first();
        assertEquals(List.of(), strict.getList(0), "sigmoid(3) = 0.9526 is below 0.97");
        session.sql("SET spark.gliner.threshold=0.5");
        assertEquals(2, session.sql("SELECT gliner_extract('Alice and Bob', array('person'))").first().getList(0).size());
    }

    @Test
    void badConstantLabelsFailTheQueryNamingTheCallWithoutItsText() {
        Exception error = assertThrows(Exception.class, () -> spark.sql(
                "SELECT gliner_extract(body, array('person', NULL)) FROM docs WHERE id = 1").collectAsList());
        String message = messages(error);
        assertTrue(message.contains("gliner_extract: the constant labels of gliner_extract(docs.body"), message);
        assertTrue(message.contains("label 1 is null"), message);
        assertFalse(message.contains("Alice"), message);

        Exception literal = assertThrows(Exception.class, () -> spark.sql(
                "SELECT gliner_extract('Alice and Bob', array('person', NULL))").collectAsList());
        assertFalse(messages(literal).contains("Alice"), messages(literal));
        assertTrue(messages(literal).contains("gliner_extract('?'"), messages(literal));
    }

    @Test
    void perRowLabelsThatSpellAMarkerGiveNullForTheirRowOnly() {
        spark.sql("CREATE OR REPLACE TEMP VIEW marked AS SELECT CAST(id AS INT) AS id, 'Alice and Bob visited London' "
                + "AS body, CASE id WHEN 7 THEN array('<<ENT>>', 'person') WHEN 11 THEN array('person <<SEP>> x') "
                + "ELSE array('person', 'location') END AS labels FROM range(15)");
        for (String call : List.of("gliner_extract(body, labels)",
                "CASE WHEN NOT exists(labels, l -> l LIKE '%<<%') THEN gliner_extract(body, labels) END")) {
            Dataset<Row> result = spark.sql("SELECT id, " + call + " FROM marked ORDER BY id");
            List<Row> rows = result.collectAsList();
            assertEquals(15, rows.size());
            for (Row row : rows) {
                if (row.getInt(0) == 7 || row.getInt(0) == 11) {
                    assertTrue(row.isNullAt(1), row.toString());
                } else {
                    assertEquals(List.of("Alice|person|0|5", "Bob|person|10|13", "London|location|22|28"), entities(row));
                }
            }
            assertEquals(call.startsWith("CASE") ? 0 : 2, rowsNotExtracted(result), call);
        }

        Exception literal = assertThrows(Exception.class, () -> spark.sql(
                "SELECT gliner_extract(body, array('<<ENT>>', 'person')) FROM marked").collectAsList());
        String message = messages(literal);
        assertTrue(message.contains("the constant labels of gliner_extract(") && message.contains("label '<<ENT>>' contains"),
                message);
        assertFalse(message.contains("Alice"), message);
    }

    @Test
    void caseWhenGuardKeepsRowsWithoutLabelsOutOfTheModel() {
        List<Row> rows = spark.sql("SELECT id, CASE WHEN size(labels) > 0 THEN gliner_extract(body, labels) END AS e "
                + "FROM guarded WHERE id <> 2 ORDER BY id").collectAsList();
        assertEquals(List.of("Alice|person|0|5", "Bob|person|10|13", "London|location|22|28"), entities(rows.get(0)));
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).isNullAt(1), rows.get(i).toString());
        }
    }

    @Test
    void nullAndEmptyPerRowLabelListsGiveNullUnguarded() {
        List<Row> rows = spark.sql("SELECT id, gliner_extract(body, labels) AS e FROM guarded WHERE id <> 2 ORDER BY id")
                .collectAsList();
        assertEquals(List.of("Alice|person|0|5", "Bob|person|10|13", "London|location|22|28"), entities(rows.get(0)));
        assertEquals("[[3,null], [4,null], [5,null]]", rows.subList(1, 4).toString());
    }

    @Test
    void unguardedRejectedLabelsGiveNullAndAreCounted() {
        Dataset<Row> result = spark.sql("SELECT id, gliner_extract(body, labels) IS NULL FROM guarded ORDER BY id");
        assertEquals("[[1,false], [2,true], [3,true], [4,true], [5,true]]", result.collectAsList().toString());
        assertEquals(1, rowsNotExtracted(result), "row 2's rejected labels; NULL or empty lists and texts are not errors");
    }

    @Test
    void callsBehindGuardsAreOnlyExtractedWhereTheGuardHolds() {
        String expected = "[[1,3], [2,null], [3,null], [4,null], [5,null]]";
        for (String sql : List.of(
                "CASE WHEN ok THEN size(gliner_extract(body, labels)) END",
                "IF(ok, size(gliner_extract(body, labels)), NULL)",
                "IF(NOT ok, NULL, size(gliner_extract(body, labels)))",
                "CASE WHEN NOT ok THEN NULL WHEN id > 100 THEN -1 ELSE size(gliner_extract(body, labels)) END",
                "CASE WHEN ok THEN CASE WHEN size(labels) > 1 THEN size(gliner_extract(body, labels)) END END",
                "CASE WHEN ok THEN CASE WHEN id = 1 THEN size(gliner_extract(body, labels)) WHEN id = 2 THEN 0 END END",
                "nullif(coalesce(IF(ok, NULL, -1), size(gliner_extract(body, labels))), -1)")) {
            String query = "SELECT id, " + sql + " FROM guarded ORDER BY id";
            Dataset<Row> result = spark.sql(query);
            assertTrue(result.queryExecution().executedPlan().toString().contains("GlinerBatch"), query);
            assertEquals(expected, result.collectAsList().toString().replace("-1", "null"), query);
            assertEquals(0, rowsNotExtracted(result), "row 2's rejected labels reached the model: " + query);
        }
    }

    @Test
    void andOrGuardsInFiltersAndProjections() {
        assertEquals("[[1]]", spark.sql("SELECT id FROM guarded WHERE ok AND size(gliner_extract(body, labels)) > 0 "
                + "ORDER BY id").collectAsList().toString());
        // IS NOT NULL rather than size(): size(NULL) is -1 or NULL depending on the Spark line's defaults
        assertEquals("[[1,true], [2,true], [3,false], [4,false], [5,false]]", spark.sql("SELECT id, "
                + "NOT ok OR gliner_extract(body, labels) IS NOT NULL FROM guarded ORDER BY id").collectAsList().toString());
    }

    @Test
    void aGuardThatHoldsAnotherCallWaitsForItsResult() {
        String query = "SELECT id, CASE WHEN size(gliner_extract(body, array('person'))) > 1 "
                + "THEN size(gliner_extract(body, labels)) END FROM guarded WHERE id IN (1, 2) ORDER BY id";
        assertEquals("[[1,3], [2,null]]", spark.sql(query).collectAsList().toString(),
                "row 2 has one person, so its rejected labels are never used");
        String plan = spark.sql(query).queryExecution().executedPlan().toString();
        assertEquals(2, plan.split("GlinerBatch", -1).length - 1, plan);
    }

    @Test
    void guardedResultsEqualUnguardedOnes() {
        List<Row> unguarded = spark.sql("SELECT id, gliner_extract(body, labels) FROM guarded WHERE ok ORDER BY id")
                .collectAsList();
        List<Row> guarded = spark.sql("SELECT id, CASE WHEN ok THEN gliner_extract(body, labels) END FROM guarded "
                + "WHERE id <> 2 ORDER BY id").collectAsList();
        assertEquals(unguarded.toString(), guarded.toString());
    }

    @Test
    void sessionCannotChangeTheModelSettings() {
        SparkSession session = root.newSession();
        session.sql("SET spark.gliner.model=/other/model");
        Exception error = assertThrows(Exception.class,
                () -> session.sql("SELECT gliner_extract('Alice', array('person'))").collectAsList());
        String message = messages(error);
        assertTrue(message.contains("spark.gliner.model is set to '/other/model' in this session"), message);
        assertTrue(message.contains("read only from the application's configuration"), message);
        session.sql("RESET spark.gliner.model");
        assertEquals(1, session.sql("SELECT gliner_extract('Alice', array('person'))").first().getList(0).size());

        session.sql("SET spark.gliner.rowsPerBlock=7");
        Exception placement = assertThrows(Exception.class,
                () -> session.sql("SELECT gliner_extract('Alice', array('person'))").collectAsList());
        assertTrue(messages(placement).contains("spark.gliner.rowsPerBlock is set to '7' in this session"),
                messages(placement));
    }

    @Test
    void aTextBeyondTheCapGivesNullWithoutFailingTheQuery() {
        // Code points, not UTF-16 units or bytes: 64 four-byte characters are at the cap, one more is beyond it.
        String atCap = "Alice " + "\uD83D\uDE00".repeat(MAX_TEXT_CHARS - 6);
        String beyond = "Alice " + "\uD83D\uDE00".repeat(MAX_TEXT_CHARS - 5);
        String ascii = "Alice " + "x".repeat(MAX_TEXT_CHARS - 6);
        spark.createDataFrame(List.of(RowFactory.create(1, atCap), RowFactory.create(2, beyond),
                        RowFactory.create(3, ascii + "y"), RowFactory.create(4, ascii), RowFactory.create(5, "Bob")),
                new StructType().add("id", DataTypes.IntegerType).add("body", DataTypes.StringType))
                .createOrReplaceTempView("long_docs");
        List<Row> rows = spark.sql("SELECT id, gliner_extract(body, array('person')) AS e FROM long_docs ORDER BY id")
                .collectAsList();
        assertEquals(List.of("Alice|person|0|5"), entities(rows.get(0)));
        assertTrue(rows.get(1).isNullAt(1), "a text beyond the cap gives NULL");
        assertTrue(rows.get(2).isNullAt(1), "a text beyond the cap gives NULL");
        assertEquals(List.of("Alice|person|0|5"), entities(rows.get(3)));
        assertEquals(List.of("Bob|person|0|3"), entities(rows.get(4)), "the other rows of the block are extracted");
        assertTrue(spark.sql("SELECT gliner_extract(body, array('person')) FROM long_docs").queryExecution()
                .executedPlan().toString().contains("maxTextChars=" + MAX_TEXT_CHARS));

        SparkSession session = root.newSession();
        session.sql("SET spark.gliner.sqlMaxTextChars=1000");
        Exception raised = assertThrows(Exception.class,
                () -> session.sql("SELECT gliner_extract('Alice', array('person'))").collectAsList());
        assertTrue(messages(raised).contains("spark.gliner.sqlMaxTextChars is set to '1000' in this session"),
                messages(raised));
    }

    @Test
    void sqlMatchesTheDataFramePath() {
        List<Row> viaSql = spark.sql("SELECT id, gliner_extract(body, array('person', 'location', 'city')) AS entities "
                + "FROM docs ORDER BY id").collectAsList();
        List<Row> viaDataFrame = new GlinerTransformer().setInputCol("body").setLabels("person", "location", "city")
                .setModel(TestSpark.fixture("span")).transform(spark.table("docs")).orderBy("id")
                .select("id", "entities").collectAsList();
        assertEquals(viaDataFrame.toString(), viaSql.toString());
    }

    @Test
    void rowsOfAFileScanKeepTheirOwnResults() {
        // File scans reuse one row object for every row; each row must still get its own text's entities.
        String path = TestSpark.tempDir("scan").resolve("docs.parquet").toString();
        spark.sql("SELECT * FROM VALUES ('a', 'alice'), ('b', 'bob in london'), ('c', 'paris'), ('d', NULL) AS t(id, body)")
                .coalesce(1).write().parquet(path);
        spark.read().parquet(path).createOrReplaceTempView("scanned");
        List<Row> rows = spark.sql("SELECT id, gliner_extract(body, array('person', 'location')) AS e FROM scanned ORDER BY id")
                .collectAsList();
        assertEquals(List.of("alice|person|0|5"), entities(rows.get(0)));
        assertEquals(List.of("bob|person|0|3", "london|location|7|13"), entities(rows.get(1)));
        assertEquals(List.of("paris|location|0|5"), entities(rows.get(2)));
        assertTrue(rows.get(3).isNullAt(1));
        assertEquals(List.of("a", "b", "c", "d"), rows.stream().map(r -> r.getString(0)).toList());
    }

    /** The batch operators' count of rows that gave NULL because they could not be extracted, once collected. */
    private static long rowsNotExtracted(Dataset<Row> collected) {
        long count = 0;
        List<SparkPlan> plans = new ArrayList<>(List.of(collected.queryExecution().executedPlan()));
        while (!plans.isEmpty()) {
            SparkPlan plan = plans.remove(plans.size() - 1);
            if (plan instanceof GlinerBatchExec batch) {
                count += batch.metrics().apply(GlinerBatchExec.ROWS_NOT_EXTRACTED).value();
            } else if (plan instanceof AdaptiveSparkPlanExec adaptive) {
                plans.add(adaptive.executedPlan());
            } else if (plan instanceof QueryStageExec stage) {
                plans.add(stage.plan());
            }
            plans.addAll(ScalaSeqs.list(plan.children()));
        }
        return count;
    }

    @Test
    void aMapOfLabelToDescriptionPromptsTheDescriptionsAndKeepsTheLabels() {
        // The fixture knows person, location and city; 'who' and 'where' only reach it through their descriptions.
        List<Row> described = spark.sql("SELECT id, gliner_extract(body, map('who', 'person', 'where', 'location', "
                + "'city', NULL)) AS e FROM docs WHERE id IN (1, 4) ORDER BY id").collectAsList();
        List<Row> asLabels = spark.sql("SELECT id, gliner_extract(body, array('person', 'location', 'city')) AS e "
                + "FROM docs WHERE id IN (1, 4) ORDER BY id").collectAsList();
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            for (Row e : asLabels.get(i).<Row>getList(1)) {
                String label = e.getString(1).equals("person") ? "who"
                        : e.getString(1).equals("location") ? "where" : e.getString(1);
                expected.add(e.getString(0) + "|" + label + "|" + e.getInt(2) + "|" + e.getInt(3) + "|" + e.getFloat(4));
            }
            for (Row e : described.get(i).<Row>getList(1)) {
                actual.add(e.getString(0) + "|" + e.getString(1) + "|" + e.getInt(2) + "|" + e.getInt(3) + "|" + e.getFloat(4));
            }
        }
        assertEquals(List.of("Alice|who|0|5", "Bob|who|10|13", "London|where|22|28"), entities(described.get(0)));
        assertEquals(expected, actual);
        assertEquals(List.of(), entities(spark.sql("SELECT 1, gliner_extract(body, array('who', 'where')) FROM docs "
                + "WHERE id = 1").first()));

        // A per-row map column, and an empty map, which asks for nothing.
        spark.sql("CREATE OR REPLACE TEMP VIEW described AS SELECT * FROM VALUES "
                + "(1, 'Alice and Bob visited London', map('who', 'person', 'where', 'location')), "
                + "(2, 'Alice and Bob visited London', map('who', 'person', 'where', 'person')), "
                + "(3, 'Alice and Bob visited London', map_from_arrays(array(), array())) AS t(id, body, labels)");
        List<Row> perRow = spark.sql("SELECT id, gliner_extract(body, labels) FROM described ORDER BY id")
                .collectAsList();
        assertEquals(entities(described.get(0)), entities(perRow.get(0)));
        assertTrue(perRow.get(1).isNullAt(1), "descriptions must be unique: the row's value is NULL");
        assertTrue(perRow.get(2).isNullAt(1));

        Exception repeated = assertThrows(Exception.class, () -> spark.sql("SELECT gliner_extract(body, "
                + "map('who', 'person', 'where', 'person')) FROM docs").collectAsList());
        assertTrue(messages(repeated).contains("'who' and 'where' are both prompted as 'person'"), messages(repeated));
    }

    private static List<String> entities(Row row) {
        List<Row> entities = row.getList(1);
        return entities.stream().map(e -> e.getString(0) + "|" + e.getString(1) + "|" + e.getInt(2) + "|" + e.getInt(3))
                .toList();
    }

    private static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
