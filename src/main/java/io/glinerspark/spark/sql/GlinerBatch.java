package io.glinerspark.spark.sql;

import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.AttributeSet$;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Logical operator that evaluates {@code gliner_extract} calls over its child's rows in blocks and appends one
 * entities column per call: output = child's output + {@code results}. Planned as {@link GlinerBatchExec}.
 *
 * @see GlinerCallBatchingRule
 */
public final class GlinerBatch extends LogicalPlan {

    private static final long serialVersionUID = 1L;

    private final Seq<Expression> calls;
    private final Seq<Attribute> results;
    private final LogicalPlan child;

    /**
     * @param calls   the {@link GlinerExtractCall}s, arguments referring to the child's output
     * @param results one new attribute per call, holding its entities
     */
    public GlinerBatch(Seq<Expression> calls, Seq<Attribute> results, LogicalPlan child) {
        this.calls = calls;
        this.results = results;
        this.child = child;
    }

    public Seq<Expression> calls() {
        return calls;
    }

    public Seq<Attribute> results() {
        return results;
    }

    public LogicalPlan child() {
        return child;
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
    public Seq<LogicalPlan> children() {
        return ScalaSeqs.of(List.of(child));
    }

    @Override
    public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
        return new GlinerBatch(calls, results, newChildren.apply(0));
    }

    @Override
    public int productArity() {
        return 3;
    }

    @Override
    public Object productElement(int n) {
        return switch (n) {
            case 0 -> calls;
            case 1 -> results;
            case 2 -> child;
            default -> throw new IndexOutOfBoundsException(n);
        };
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof GlinerBatch;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlinerBatch batch && calls.equals(batch.calls) && results.equals(batch.results)
                && child.equals(batch.child);
    }

    @Override
    public int hashCode() {
        return Objects.hash(calls, results, child);
    }
}
