package io.glinerspark.spark.sql;

import io.glinerspark.spark.TestSpark;
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

/**
 * gliner_extract() with a bi-encoder model (the span_bi fixture, which scores words as the span fixture does, from
 * label vectors): constant labels are encoded when the query is planned, per-row labels on the executors, and a
 * row's label the label encoder cannot hold makes that row NULL.
 */
@Tag("spark")
class BiEncoderSqlTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        spark = SparkSession.builder().master("local[2]").appName("gliner-bi-encoder-sql-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.extensions", GlinerSparkSessionExtensions.class.getName())
                .config("spark.gliner.model", TestSpark.fixture("span_bi"))
                .getOrCreate();
        spark.sql("CREATE OR REPLACE TEMP VIEW docs AS SELECT * FROM VALUES "
                + "(1, 'Alice and Bob visited London', array('person', 'location')), "
                + "(2, 'Alice in Paris', array('city')), "
                + "(3, 'Alice in Paris', array('person', 'a b c d e f g h i j k l m n o')) AS t(id, body, labels)");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<String> entities(String call) {
        return spark.sql("SELECT id, " + call + " AS ents FROM docs ORDER BY id").collectAsList().stream()
                .map(row -> row.get(0) + ":" + (row.isNullAt(1) ? "NULL" : row.<Row>getList(1).stream()
                        .map(e -> e.getString(0) + "|" + e.getString(1)).toList().toString()))
                .toList();
    }

    @Test
    void constantLabelsFindTheFixturesEntities() {
        assertEquals(List.of("1:[Alice|person, Bob|person, London|location]", "2:[Alice|person, Paris|location]",
                "3:[Alice|person, Paris|location]"), entities("gliner_extract(body, array('person', 'location'))"));
    }

    @Test
    void describedLabelsAreEncodedAsTheirDescriptions() {
        assertEquals(List.of("1:[Alice|who, Bob|who]", "2:[Alice|who]", "3:[Alice|who]"),
                entities("gliner_extract(body, map('who', 'person'))"));
    }

    @Test
    void perRowLabelsAreEncodedOnTheExecutorsAndARowsUnusableLabelMakesItNull() {
        assertEquals(List.of("1:[Alice|person, Bob|person, London|location]", "2:[Paris|city]", "3:NULL"),
                entities("gliner_extract(body, labels)"));
    }

    @Test
    void aConstantLabelTheLabelEncoderCannotHoldFailsThePlanNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> entities("gliner_extract(body, array('person', 'a b c d e f g h i j k l m n o'))"));
        assertTrue(e.getMessage().contains("a b c d e f g h i j k l m n o") && e.getMessage().contains("16 positions"),
                e.getMessage());
    }
}
