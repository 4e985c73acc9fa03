package io.glinerspark.spark.eval;

import io.glinerspark.eval.DatasetScore;
import io.glinerspark.eval.EvaluationReport;
import io.glinerspark.eval.MatchCounts;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Appends evaluation results to a Delta table, one row per (run, dataset), so that runs can be compared with SQL.
 * The per-label breakdown is an array of structs in the same row.
 */
public final class ResultsTable {

    private static final StructType LABEL = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("precision", DataTypes.DoubleType, false)
            .add("recall", DataTypes.DoubleType, false)
            .add("f1", DataTypes.DoubleType, false)
            .add("gold", DataTypes.LongType, false)
            .add("predicted", DataTypes.LongType, false)
            .add("correct", DataTypes.LongType, false);

    /** Columns of the results table. */
    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("run_time", DataTypes.TimestampType, false)
            .add("model", DataTypes.StringType, false)
            .add("threshold", DataTypes.DoubleType, false)
            .add("dataset", DataTypes.StringType, false)
            .add("nested", DataTypes.BooleanType, false)
            .add("sentences", DataTypes.LongType, false)
            .add("precision", DataTypes.DoubleType, false)
            .add("recall", DataTypes.DoubleType, false)
            .add("f1", DataTypes.DoubleType, false)
            .add("gold", DataTypes.LongType, false)
            .add("predicted", DataTypes.LongType, false)
            .add("correct", DataTypes.LongType, false)
            .add("average_f1", DataTypes.DoubleType, false)
            .add("labels", DataTypes.createArrayType(LABEL, false), false);

    private ResultsTable() {
    }

    /** Appends {@code report} to the Delta table at {@code path} (created on first use); returns the run id. */
    public static String append(SparkSession spark, EvaluationReport report, Instant runTime, String path) {
        String runId = UUID.randomUUID().toString();
        List<Row> rows = new ArrayList<>();
        for (DatasetScore dataset : report.datasets()) {
            MatchCounts total = dataset.total();
            List<Row> labels = new ArrayList<>();
            for (Map.Entry<String, MatchCounts> label : dataset.labels().entrySet()) {
                MatchCounts c = label.getValue();
                labels.add(RowFactory.create(label.getKey(), c.precision(), c.recall(), c.f1(), c.gold(), c.predicted(),
                        c.correct()));
            }
            rows.add(RowFactory.create(runId, Timestamp.from(runTime), report.model(), report.threshold(), dataset.name(),
                    dataset.nested(), dataset.sentences(), total.precision(), total.recall(), total.f1(), total.gold(),
                    total.predicted(), total.correct(), report.averageF1(), labels.toArray(Row[]::new)));
        }
        spark.createDataFrame(rows, SCHEMA).write().format("delta").mode("append").save(path);
        return runId;
    }
}
