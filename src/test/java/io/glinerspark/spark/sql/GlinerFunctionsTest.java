package io.glinerspark.spark.sql;

import io.glinerspark.spark.ScalaSeqs;
import io.glinerspark.spark.TestSpark;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GlinerFunctions.register in sessions started without the extension: the function works batched, with the same
 * physical plan as in a session that has the extension, and registering again changes nothing.
 */
@Tag("spark")
class GlinerFunctionsTest {

    private static final String QUERY = "SELECT id, ent.text, ent.label, ent.start FROM docs "
            + "LATERAL VIEW explode(gliner_extract(body, array('person', 'location'))) t AS ent ORDER BY id, ent.start";

    private static SparkSession plain;

    @BeforeAll
    static void start() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        plain = builder().getOrCreate();
    }

    @AfterAll
    static void stop() {
        plain.stop();
    }

    private static SparkSession.Builder builder() {
        return SparkSession.builder().master("local[2]").appName("gliner-functions-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.gliner.model", TestSpark.fixture("span"));
    }

    private static void createDocs(SparkSession session) {
        session.sql("CREATE OR REPLACE TEMP VIEW docs AS SELECT * FROM VALUES "
                + "(1, 'Alice and Bob visited London'), (2, NULL), (3, '') AS t(id, body)");
    }

    @Test
    void registersTheBatchedFunctionInARunningSessionOnce() {
        SparkSession session = plain.newSession();
        createDocs(session);
        AnalysisException missing = assertThrows(AnalysisException.class, () -> session.sql(QUERY));
        assertTrue(missing.getMessage().contains("gliner_extract"), missing.getMessage());

        GlinerFunctions.register(session);
        GlinerFunctions.register(session);

        assertEquals(1, session.experimental().extraOptimizations().size());
        assertEquals(1, session.experimental().extraStrategies().size());
        List<String> rows = session.sql(QUERY).collectAsList().stream()
                .map(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3)).toList();
        assertEquals(List.of("1|Alice|person|0", "1|Bob|person|10", "1|London|location|22"), rows);
        Row nullAndEmpty = session.sql("SELECT gliner_extract(NULL, array('person')), "
                + "gliner_extract('', array('person'))").first();
        assertTrue(nullAndEmpty.isNullAt(0));
        assertEquals(0, nullAndEmpty.getList(1).size());
        String described = session.sql("DESCRIBE FUNCTION gliner_extract").collectAsList().toString();
        assertTrue(described.contains("Zero-shot named entities"), described);
    }

    @Test
    void planIsTheExtensionsPlan() {
        SparkSession registered = plain.newSession();
        GlinerFunctions.register(registered);
        createDocs(registered);
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession withExtension = builder().withExtensions(new GlinerSparkSessionExtensions()).getOrCreate();
        createDocs(withExtension);

        List<String> registeredPlan = nodeNames(registered.sql(QUERY));
        assertTrue(registeredPlan.contains("GlinerBatchExec"), registeredPlan.toString());
        assertEquals(nodeNames(withExtension.sql(QUERY)), registeredPlan);

        GlinerFunctions.register(withExtension);
        assertEquals(0, withExtension.experimental().extraStrategies().size());
        assertEquals(0, withExtension.experimental().extraOptimizations().size());
    }

    private static List<String> nodeNames(Dataset<Row> query) {
        List<String> names = new ArrayList<>();
        collect(query.queryExecution().executedPlan(), names);
        return names;
    }

    private static void collect(SparkPlan plan, List<String> names) {
        names.add(plan.getClass().getSimpleName());
        for (SparkPlan child : ScalaSeqs.list(plan.children())) {
            collect(child, names);
        }
    }
}
