package io.glinerspark.spark.jobs;

import io.glinerspark.spark.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
class SqlRunnerTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("local[1]", Map.of("spark.gliner.model", TestSpark.fixture("span")));
        spark.sql("CREATE TEMP VIEW docs AS SELECT * FROM VALUES (1, 'Alice and Bob visited London') AS t(id, body)");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        assertEquals(List.of("SELECT 'a;b'", "SELECT `x;y` FROM t", "SELECT \"it\\\"s;\"", "SELECT 2"),
                SqlRunner.statements("SELECT 'a;b'; SELECT `x;y` FROM t;\n-- a comment; still comment\n"
                        + "SELECT \"it\\\"s;\";SELECT 2;;"));
    }

    @Test
    void sqlRunnerPrintsEachResultAsATable() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SqlRunner.run(spark, "SELECT 1 AS n; SELECT e.text, e.label FROM docs "
                + "LATERAL VIEW explode(gliner_extract(body, array('person'))) t AS e WHERE id = 1 ORDER BY e.start",
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("| text  | label  |\n"), printed);
        assertTrue(printed.contains("| Alice | person |\n| Bob   | person |\n"), printed);
        assertTrue(printed.contains("1 row\n") && printed.contains("2 rows\n"), printed);
    }
}
