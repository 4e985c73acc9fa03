package io.glinerspark.cluster;

import io.glinerspark.spark.delta.EntityTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads a job's two Delta tables ({@code <output>/entities}, {@code <output>/documents}) in the test JVM and
 * compares them with a reference run's, row for row as multisets: every column but the run's own id and time.
 */
final class ResultTables {

    private static final String[] RUN_COLUMNS = {"run_id", "extracted_at"};
    private final SparkSession spark;

    ResultTables(SparkSession spark) {
        this.spark = spark;
    }

    /** A local session with Delta for reading the tables; stop it when done. */
    static SparkSession localSession(Path warehouse) {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        return SparkSession.builder().master("local[1]").appName("gliner-cluster-test-reader")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.warehouse.dir", warehouse.toString())
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .getOrCreate();
    }

    Dataset<Row> entities(Path output) {
        return spark.read().format("delta").load(output.resolve("entities").toString());
    }

    Dataset<Row> documents(Path output) {
        return spark.read().format("delta").load(output.resolve("documents").toString());
    }

    /** Asserts that both tables of {@code actual} hold exactly the rows of {@code expected}'s. */
    void assertSameRows(Path expected, Path actual, String context) {
        assertSameRows(expected, actual, null, context);
    }

    /**
     * Asserts that both tables of {@code actual} hold exactly the rows of {@code expected}'s that pass
     * {@code expectedFilter} (all rows when null): none missing, none extra, none twice.
     */
    void assertSameRows(Path expected, Path actual, Column expectedFilter, String context) {
        assertSameRows(expected, actual, expectedFilter, context, RUN_COLUMNS);
    }

    /**
     * Asserts that both tables of {@code actual} hold the rows of {@code expected}'s that pass {@code expectedFilter},
     * written by another model that must find the same: compared without the model id and revision, which name the
     * model.
     */
    void assertSameRowsOfAnotherModel(Path expected, Path actual, Column expectedFilter, String context) {
        String[] ignored = Arrays.copyOf(RUN_COLUMNS, RUN_COLUMNS.length + 2);
        ignored[RUN_COLUMNS.length] = EntityTables.MODEL_ID;
        ignored[RUN_COLUMNS.length + 1] = EntityTables.MODEL_REVISION;
        assertSameRows(expected, actual, expectedFilter, context, ignored);
    }

    private void assertSameRows(Path expected, Path actual, Column expectedFilter, String context, String[] ignored) {
        String entities = difference(filtered(entities(expected), expectedFilter), entities(actual), ignored);
        String documents = difference(filtered(documents(expected), expectedFilter), documents(actual), ignored);
        if (!entities.isEmpty() || !documents.isEmpty()) {
            fail(context + ": the tables under " + actual + " differ from the expected rows of " + expected
                    + (entities.isEmpty() ? "" : "\nentities: " + entities)
                    + (documents.isEmpty() ? "" : "\ndocuments: " + documents));
        }
    }

    private static Dataset<Row> filtered(Dataset<Row> rows, Column filter) {
        return filter == null ? rows : rows.filter(filter);
    }

    /** Empty when equal as multisets (ignored columns aside), else counts and a few rows of each difference. */
    private static String difference(Dataset<Row> expected, Dataset<Row> actual, String[] ignored) {
        Dataset<Row> want = expected.drop(ignored);
        Dataset<Row> got = actual.drop(ignored)
                .select(Arrays.stream(want.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new));
        Dataset<Row> missing = want.exceptAll(got);
        Dataset<Row> extra = got.exceptAll(want);
        long missingCount = missing.count();
        long extraCount = extra.count();
        if (missingCount == 0 && extraCount == 0) {
            return "";
        }
        return want.count() + " rows expected, " + got.count() + " found; " + missingCount + " missing, e.g. "
                + sample(missing) + "; " + extraCount + " extra (or repeated), e.g. " + sample(extra);
    }

    private static String sample(Dataset<Row> rows) {
        List<Row> some = rows.limit(3).collectAsList();
        return some.stream().map(Row::toString).collect(Collectors.joining(" | ", "[", "]"));
    }
}
