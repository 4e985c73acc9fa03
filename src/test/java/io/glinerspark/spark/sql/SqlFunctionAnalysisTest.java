package io.glinerspark.spark.sql;

import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Group;
import io.glinerspark.settings.Setting;
import io.glinerspark.settings.SettingSamples;
import io.glinerspark.settings.Settings;
import io.glinerspark.spark.TestSpark;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, documentation, type checking and planning of gliner_extract; none of these loads a model. */
@Tag("spark")
class SqlFunctionAnalysisTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("local[2]");
        spark.sql("CREATE OR REPLACE TEMP VIEW docs AS SELECT * FROM VALUES (1, 'Ada Lovelace met Babbage.', array('person')) AS t(id, body, labels)");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void functionExistsInNewSessionsWithItsDocumentation() {
        SparkSession other = spark.newSession();
        List<Row> shown = other.sql("SHOW FUNCTIONS LIKE 'gliner*'").collectAsList();
        assertEquals(List.of("gliner_extract"), shown.stream().map(r -> r.getString(0)).toList());

        String described = String.join("\n", other.sql("DESCRIBE FUNCTION EXTENDED gliner_extract")
                .collectAsList().stream().map(r -> r.getString(0)).toList());
        assertTrue(described.contains("gliner_extract(text, labels [, threshold [, options]])"), described);
        assertTrue(described.contains("Examples:"), described);
        assertTrue(described.contains("spark.gliner.model"), described);
        assertTrue(described.contains("Inside CASE WHEN, IF, COALESCE, AND or OR the call is evaluated only for the rows "
                + "that reach it"), described);
        assertTrue(described.contains("NULL labels or an empty label list give NULL"), described);
        assertTrue(described.contains("SET cannot change it"), described);
    }

    @Test
    void wrongArgumentCountIsAnAnalysisErrorWithTheSignature() {
        AnalysisException error = assertThrows(AnalysisException.class,
                () -> spark.sql("SELECT gliner_extract(body) FROM docs").collectAsList());
        assertTrue(error.getMessage().contains(GlinerExtractCall.SIGNATURE), error.getMessage());
        assertTrue(error.getMessage().contains("expects 2 to 4 arguments, got 1"), error.getMessage());
    }

    @Test
    void wrongArgumentTypesAreAnalysisErrors() {
        assertAnalysisError("SELECT gliner_extract(id, array('person')) FROM docs", "text must be STRING, got INT");
        assertAnalysisError("SELECT gliner_extract(body, 'person') FROM docs", "labels must be ARRAY<STRING>");
        assertAnalysisError("SELECT gliner_extract(body, map('person', 1)) FROM docs",
                "labels must be ARRAY<STRING> or MAP<STRING, STRING> (label to description), got MAP<STRING, INT>");
        assertAnalysisError("SELECT gliner_extract(body, labels, id) FROM docs", "threshold must be a constant number");
        assertAnalysisError("SELECT gliner_extract(body, labels, 0.5, map('flatNer', 'maybe')) FROM docs",
                "spark.gliner.flatNer: expected true or false, got 'maybe'");
        assertAnalysisError("SELECT gliner_extract(body, labels, 0.5, map('model', '/tmp/other')) FROM docs",
                "come from the application's spark.gliner.model");
        assertAnalysisError("SELECT gliner_extract(body, labels, 1.5) FROM docs",
                "spark.gliner.threshold: expected a number in [0, 1), got '1.5'");
        assertAnalysisError("SELECT gliner_extract(body, labels, 0.5, map('labels', 'x')) FROM docs",
                "unknown option 'labels'; options are " + Settings.namesReadBy(FrontEnd.SQL_OPTIONS));
    }

    @Test
    void everyDecodingSettingIsAnOptionUnderItsNameAndEveryModelSettingIsRefused() {
        for (Setting<?> setting : Settings.all()) {
            String call = "SELECT gliner_extract(body, labels, 0.5, map('" + setting.name() + "', '%s')) FROM docs";
            if (setting.readBy(FrontEnd.SQL_OPTIONS)) {
                spark.sql(String.format(call, SettingSamples.GOOD.get(setting.name()))).schema();
                SettingSamples.Bad bad = SettingSamples.BAD.get(setting.name());
                assertAnalysisError(String.format(call, bad.value()),
                        "spark.gliner." + setting.name() + ": " + bad.message());
            } else if (setting == Settings.THRESHOLD) {
                assertAnalysisError(String.format(call, "0.3"), "the threshold is the third argument");
            } else if (setting.group() == Group.MODEL || setting.group() == Group.LIMITS) {
                assertAnalysisError(String.format(call, SettingSamples.GOOD.get(setting.name())),
                        "come from the application's spark.gliner." + setting.name());
            }
        }
        String described = String.join("\n", spark.sql("DESCRIBE FUNCTION EXTENDED gliner_extract")
                .collectAsList().stream().map(r -> r.getString(0)).toList());
        for (Setting<?> setting : Settings.readBy(FrontEnd.SQL_OPTIONS)) {
            assertTrue(described.contains(setting.name()), "the function's usage names option " + setting.name());
        }
        List<Setting<?>> decodingOptions = new java.util.ArrayList<>(Settings.inGroup(Group.DECODING));
        decodingOptions.remove(Settings.THRESHOLD);
        assertEquals(decodingOptions, Settings.readBy(FrontEnd.SQL_OPTIONS));
    }

    @Test
    void aBadSessionValueOfEachDecodingSettingFailsThePlanNamingIt() {
        for (Setting<?> setting : Settings.inGroup(Group.DECODING)) {
            SettingSamples.Bad bad = SettingSamples.BAD.get(setting.name());
            spark.conf().set("spark.gliner." + setting.name(), bad.value());
            try {
                Exception error = assertThrows(Exception.class, () -> spark.sql(
                        "SELECT gliner_extract(body, labels) FROM docs").queryExecution().executedPlan());
                assertTrue(error.getMessage().contains("spark.gliner." + setting.name() + ": " + bad.message()),
                        error.getMessage());
            } finally {
                spark.conf().unset("spark.gliner." + setting.name());
            }
        }
    }

    @Test
    void callsOfOneOperatorArePlannedAsOneBatchOperator() {
        String plan = spark.sql("SELECT id, gliner_extract(body, labels) AS a, gliner_extract(body, labels, 0.3) AS b FROM docs")
                .queryExecution().executedPlan().toString();
        assertEquals(1, plan.split("GlinerBatch", -1).length - 1, plan);
        assertTrue(plan.contains("[gliner_extract(body#"), plan);
    }

    @Test
    void callInWhereIsPlannedAsABatchUnderTheFilter() {
        String plan = spark.sql("SELECT id FROM docs WHERE size(gliner_extract(body, labels)) > 0")
                .queryExecution().executedPlan().toString();
        assertTrue(plan.indexOf("Filter") < plan.indexOf("GlinerBatch"), plan);
    }

    @Test
    void callInsideAJoinConditionIsRejectedClearly() {
        Exception error = assertThrows(Exception.class, () -> spark.sql(
                "SELECT * FROM docs a JOIN docs b ON size(gliner_extract(a.body, b.labels)) > 0").collectAsList());
        assertTrue(error.getMessage().contains("gliner_extract cannot be evaluated in Join"), error.getMessage());
    }

    private static void assertAnalysisError(String sql, String expected) {
        AnalysisException error = assertThrows(AnalysisException.class, () -> spark.sql(sql).collectAsList(), sql);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertTrue(error.getMessage().contains("gliner_extract"), error.getMessage());
    }
}
