package io.glinerspark.spark.sql;

import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.AttributeSet$;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Map;
import scala.collection.immutable.Map$;
import scala.collection.immutable.Seq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Physical form of {@link GlinerBatch}: maps each partition of the child through {@link InternalRowPartitionFunction}.
 */
public final class GlinerBatchExec extends SparkPlan {

    private static final long serialVersionUID = 1L;

    /** Name of the metric that counts the row calls which gave NULL because the row could not be extracted. */
    public static final String ROWS_NOT_EXTRACTED = "rowsNotExtracted";

    private final Seq<Expression> calls;
    private final Seq<Attribute> results;
    private final SparkPlan child;
    private final GlinerBatchSettings settings;
    private transient Map<String, SQLMetric> metrics;

    public GlinerBatchExec(Seq<Expression> calls, Seq<Attribute> results, SparkPlan child,
                           GlinerBatchSettings settings) {
        this.calls = calls;
        this.results = results;
        this.child = child;
        this.settings = settings;
    }

    @Override
    public RDD<InternalRow> doExecute() {
        List<Expression> arguments = new ArrayList<>();
        List<String> callSql = new ArrayList<>();
        for (Expression expression : ScalaSeqs.list(calls)) {
            GlinerExtractCall call = (GlinerExtractCall) expression;
            arguments.add(call.text());
            arguments.add(call.labels());
            callSql.add(call.sqlWithoutTexts());
        }
        StructType outputSchema = schema();
        InternalRowPartitionFunction extractor = new InternalRowPartitionFunction(settings, ScalaSeqs.of(arguments),
                child.output(), outputSchema, callSql, metrics().apply(ROWS_NOT_EXTRACTED));
        return child.execute().toJavaRDD().mapPartitions(extractor).rdd();
    }

    @Override
    public Map<String, SQLMetric> metrics() {
        if (metrics == null) {
            metrics = Map$.MODULE$.<String, SQLMetric>empty().updated(ROWS_NOT_EXTRACTED,
                    SQLMetrics.createMetric(sparkContext(), "rows not extracted"));
        }
        return metrics;
    }

    @Override
    public Seq<Attribute> output() {
        List<Attribute> output = new ArrayList<>(ScalaSeqs.list(child.output()));
        output.addAll(ScalaSeqs.list(results));
        return ScalaSeqs.of(output);
    }

    @Override
    public AttributeSet producedAttributes() {
        return AttributeSet$.MODULE$.apply(ScalaSeqs.<Expression>of(new ArrayList<>(ScalaSeqs.list(results))));
    }

    @Override
    public Seq<SparkPlan> children() {
        return ScalaSeqs.of(List.of(child));
    }

    @Override
    public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
        return new GlinerBatchExec(calls, results, newChildren.apply(0), settings);
    }

    @Override
    public int productArity() {
        return 4;
    }

    @Override
    public Object productElement(int n) {
        return switch (n) {
            case 0 -> calls;
            case 1 -> results;
            case 2 -> child;
            case 3 -> settings;
            default -> throw new IndexOutOfBoundsException(n);
        };
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof GlinerBatchExec;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlinerBatchExec exec && calls.equals(exec.calls) && results.equals(exec.results)
                && child.equals(exec.child) && settings.equals(exec.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(calls, results, child, settings);
    }
}
