package io.glinerspark.spark;

import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.Metadata;
import scala.Function1;
import scala.runtime.AbstractPartialFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * Optimizer rule that takes {@code gliner_extract} calls out of the operator that holds them (a projection, a
 * filter, a generator, an aggregate ...) and evaluates them in a {@link GlinerBatch} inserted below it; the calls
 * become references to the batch's result columns. This is how the SQL function gets batched execution, in the
 * way Spark batches Python UDFs. Operators whose output would change (a filter passes its child's columns through)
 * are wrapped in a projection that restores their original output.
 *
 * <p>Calls the rule cannot place (in a join condition, over aggregated values) stay in the plan and
 * {@link GlinerBatchStrategy} rejects them with a clear error.
 */
public final class ExtractGlinerCalls extends Rule<LogicalPlan> {

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
        return plan.transformUp(new AbstractPartialFunction<LogicalPlan, LogicalPlan>() {
            @Override
            public boolean isDefinedAt(LogicalPlan node) {
                return !(node instanceof GlinerBatch) && node.children().size() == 1 && !extractable(node).isEmpty();
            }

            @Override
            public <A1 extends LogicalPlan, B1> B1 applyOrElse(A1 node, Function1<A1, B1> fallback) {
                if (!isDefinedAt(node)) {
                    return fallback.apply(node);
                }
                @SuppressWarnings("unchecked")
                B1 rewritten = (B1) extract(node);
                return rewritten;
            }
        });
    }

    /** True when some expression of {@code node} still holds a call. */
    static boolean holdsCall(LogicalPlan node) {
        for (Expression expression : ScalaSeqs.list(node.expressions())) {
            if (!calls(expression, false).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static LogicalPlan extract(LogicalPlan node) {
        LogicalPlan child = node.children().apply(0);
        List<Expression> calls = extractable(node);
        List<Attribute> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            results.add(new AttributeReference(GlinerExtractCall.NAME, EntitySchema.ENTITIES, true, Metadata.empty(),
                    NamedExpression.newExprId(), ScalaSeqs.of(List.<String>of())));
        }
        GlinerBatch batch = new GlinerBatch(ScalaSeqs.of(calls), ScalaSeqs.of(results), child);
        LogicalPlan withBatch = node.withNewChildren(ScalaSeqs.of(List.of(batch)));
        LogicalPlan rewritten = withBatch.transformExpressions(
                new AbstractPartialFunction<Expression, Expression>() {
                    @Override
                    public boolean isDefinedAt(Expression expression) {
                        return indexOf(calls, expression) >= 0;
                    }

                    @Override
                    public <A1 extends Expression, B1> B1 applyOrElse(A1 expression, Function1<A1, B1> fallback) {
                        int index = indexOf(calls, expression);
                        @SuppressWarnings("unchecked")
                        B1 result = index >= 0 ? (B1) results.get(index) : fallback.apply(expression);
                        return result;
                    }
                });
        if (sameAttributes(rewritten.output(), node.output())) {
            return rewritten;
        }
        List<NamedExpression> original = new ArrayList<>(ScalaSeqs.list(node.output()));
        return new Project(ScalaSeqs.of(original), rewritten);
    }

    /** The innermost calls of {@code node} that read only its child's columns, without duplicates. */
    private static List<Expression> extractable(LogicalPlan node) {
        List<Expression> found = new ArrayList<>();
        if (node.children().size() != 1) {
            return found;
        }
        LogicalPlan child = node.children().apply(0);
        for (Expression expression : ScalaSeqs.list(node.expressions())) {
            for (Expression call : calls(expression, true)) {
                if (call.resolved() && call.references().subsetOf(child.outputSet()) && indexOf(found, call) < 0) {
                    found.add(call);
                }
            }
        }
        return found;
    }

    /** The calls inside {@code expression}; with {@code innermostOnly}, only those without a call in an argument. */
    private static List<Expression> calls(Expression expression, boolean innermostOnly) {
        List<Expression> found = new ArrayList<>();
        collect(expression, innermostOnly, found);
        return found;
    }

    private static boolean collect(Expression expression, boolean innermostOnly, List<Expression> found) {
        boolean below = false;
        for (Expression child : ScalaSeqs.list(expression.children())) {
            below |= collect(child, innermostOnly, found);
        }
        if (expression instanceof GlinerExtractCall) {
            if (!innermostOnly || !below) {
                found.add(expression);
            }
            return true;
        }
        return below;
    }

    private static int indexOf(List<Expression> calls, Expression expression) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).semanticEquals(expression)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean sameAttributes(scala.collection.Seq<Attribute> a, scala.collection.Seq<Attribute> b) {
        List<Attribute> left = ScalaSeqs.list(a);
        List<Attribute> right = ScalaSeqs.list(b);
        if (left.size() != right.size()) {
            return false;
        }
        for (int i = 0; i < left.size(); i++) {
            if (!left.get(i).exprId().equals(right.get(i).exprId())) {
                return false;
            }
        }
        return true;
    }
}
