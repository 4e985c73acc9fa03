package io.glinerspark.spark.sql;

import io.glinerspark.spark.EntitySchema;
import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.CaseWhen;
import org.apache.spark.sql.catalyst.expressions.Coalesce;
import org.apache.spark.sql.catalyst.expressions.EqualNullSafe;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.If;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.Literal$;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.Not;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.WindowExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.Metadata;
import scala.Function1;
import scala.Tuple2;
import scala.runtime.AbstractPartialFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Optimizer rule that takes {@code gliner_extract} calls out of the operator that holds them (a projection, a
 * filter, a generator, an aggregate ...) and evaluates them in a {@link GlinerBatch} inserted below it; the calls
 * become references to the batch's result columns. This is how the SQL function gets batched execution, in the
 * way Spark batches Python UDFs. Operators whose output would change (a filter passes its child's columns through)
 * are wrapped in a projection that restores their original output.
 *
 * <p>Guards keep their meaning. The batch runs before the operator, so on its own it would extract every row, also
 * rows for which the operator never evaluates the call: {@code CASE WHEN size(labels) > 0 THEN gliner_extract(body,
 * labels) END} would extract rows without labels. So the rule works out, for each call, the condition under which
 * the operator evaluates it (the branch of {@code CASE WHEN} / {@code IF} taken, the earlier {@code COALESCE}
 * arguments being NULL, the left side of {@code AND} not false or of {@code OR} not true, combined along the path),
 * and the batch extracts the call with its text and labels replaced by NULL where that condition does not hold, so
 * those rows are never extracted. The operator above still evaluates its own expressions, now over the result
 * column, and reads it only where the condition holds. A condition the batch could not evaluate exactly as the
 * operator does (non-deterministic, an aggregate, a window function or a subquery) leaves its calls unguarded; a
 * condition that holds another call waits until that call has been extracted in an earlier batch.
 *
 * <p>Calls the rule cannot place (in a join condition, over aggregated values) stay in the plan and
 * {@link GlinerBatchStrategy} rejects them with a clear error.
 */
public final class GlinerCallBatchingRule extends Rule<LogicalPlan> {

    /**
     * One call to extract and the condition under which its operator evaluates it.
     *
     * @param guard null when the operator evaluates the call for every row
     */
    private record GuardedCall(Expression call, Expression guard) {
    }

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
            if (containsCall(expression)) {
                return true;
            }
        }
        return false;
    }

    private static LogicalPlan extract(LogicalPlan node) {
        LogicalPlan child = node.children().apply(0);
        List<GuardedCall> extracted = extractable(node);
        List<Expression> calls = new ArrayList<>(extracted.size());
        List<Expression> batchCalls = new ArrayList<>(extracted.size());
        List<Attribute> results = new ArrayList<>(extracted.size());
        for (GuardedCall found : extracted) {
            calls.add(found.call());
            batchCalls.add(found.guard() == null ? found.call() : onlyWhere(found.guard(), found.call()));
            results.add(new AttributeReference(GlinerExtractCall.NAME, EntitySchema.ENTITIES, true, Metadata.empty(),
                    NamedExpression.newExprId(), ScalaSeqs.of(List.<String>of())));
        }
        GlinerBatch batch = new GlinerBatch(ScalaSeqs.of(batchCalls), ScalaSeqs.of(results), child);
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

    /** {@code call} with its text and labels NULL where {@code guard} does not hold: such rows give NULL unextracted. */
    private static Expression onlyWhere(Expression guard, Expression call) {
        List<Expression> arguments = new ArrayList<>(ScalaSeqs.list(call.children()));
        for (int i = 0; i < 2; i++) {
            Expression argument = arguments.get(i);
            arguments.set(i, new If(guard, argument, Literal$.MODULE$.create(null, argument.dataType())));
        }
        return call.withNewChildren(ScalaSeqs.of(arguments));
    }

    /**
     * The calls of {@code node} that can go into a batch now, without duplicates, each with its guard: innermost
     * calls that read only the child's columns and whose guard holds no call that is still to be extracted.
     */
    private static List<GuardedCall> extractable(LogicalPlan node) {
        List<GuardedCall> found = new ArrayList<>();
        if (node.children().size() != 1) {
            return found;
        }
        LogicalPlan child = node.children().apply(0);
        List<GuardedCall> occurrences = new ArrayList<>();
        for (Expression expression : ScalaSeqs.list(node.expressions())) {
            collect(expression, null, occurrences);
        }
        List<Expression> waiting = new ArrayList<>();
        for (GuardedCall occurrence : occurrences) {
            Expression call = occurrence.call();
            if (!call.resolved() || !call.references().subsetOf(child.outputSet())
                    || ScalaSeqs.list(call.children()).stream().anyMatch(GlinerCallBatchingRule::containsCall)) {
                continue;
            }
            Expression guard = occurrence.guard();
            if (guard != null && !evaluableBelow(guard, child)) {
                guard = null;
            }
            if (guard != null && containsCall(guard)) {
                if (!containsOtherCall(guard, call)) {
                    // Reaching this place evaluates the same call in its guard first (Spark 3.5 spells nullif(x, y)
                    // as if(x = y, null, x)): the call is extracted for that place, which covers this one.
                    continue;
                }
                waiting.add(call);
                continue;
            }
            int index = indexOfCall(found, call);
            if (index < 0) {
                found.add(new GuardedCall(call, guard));
            } else {
                Expression known = found.get(index).guard();
                found.set(index, new GuardedCall(found.get(index).call(),
                        known == null || guard == null ? null : new Or(known, guard)));
            }
        }
        // A call is extracted once, with every place it is evaluated; one place still waiting means it waits too.
        found.removeIf(call -> indexOf(waiting, call.call()) >= 0 && call.guard() != null);
        return found;
    }

    /**
     * Collects each call inside {@code expression} with the condition under which it is evaluated, {@code guard}
     * being the condition for {@code expression} itself (null: always).
     */
    private static void collect(Expression expression, Expression guard, List<GuardedCall> found) {
        if (expression instanceof GlinerExtractCall) {
            found.add(new GuardedCall(expression, guard));
        }
        if (expression instanceof CaseWhen caseWhen) {
            Expression noneBefore = guard;
            for (Tuple2<Expression, Expression> branch : ScalaSeqs.list(caseWhen.branches())) {
                collect(branch._1(), noneBefore, found);
                collect(branch._2(), both(noneBefore, isTrue(branch._1())), found);
                noneBefore = both(noneBefore, new Not(isTrue(branch._1())));
            }
            if (caseWhen.elseValue().isDefined()) {
                collect(caseWhen.elseValue().get(), noneBefore, found);
            }
        } else if (expression instanceof If conditional) {
            collect(conditional.predicate(), guard, found);
            collect(conditional.trueValue(), both(guard, isTrue(conditional.predicate())), found);
            collect(conditional.falseValue(), both(guard, new Not(isTrue(conditional.predicate()))), found);
        } else if (expression instanceof Coalesce coalesce) {
            Expression allNullBefore = guard;
            for (Expression argument : ScalaSeqs.list(coalesce.children())) {
                collect(argument, allNullBefore, found);
                allNullBefore = both(allNullBefore, new IsNull(argument));
            }
        } else if (expression instanceof And and) {
            collect(and.left(), guard, found);
            collect(and.right(), both(guard, new Not(new EqualNullSafe(and.left(), Literal$.MODULE$.FalseLiteral()))), found);
        } else if (expression instanceof Or or) {
            collect(or.left(), guard, found);
            collect(or.right(), both(guard, new Not(isTrue(or.left()))), found);
        } else {
            for (Expression child : ScalaSeqs.list(expression.children())) {
                collect(child, guard, found);
            }
        }
    }

    /** True where {@code condition} is true; false where it is false or NULL, as CASE WHEN and IF read it. */
    private static Expression isTrue(Expression condition) {
        return new EqualNullSafe(condition, Literal$.MODULE$.TrueLiteral());
    }

    private static Expression both(Expression guard, Expression condition) {
        return guard == null ? condition : new And(guard, condition);
    }

    /** Whether the batch, below the operator, computes {@code guard} as the operator would. */
    private static boolean evaluableBelow(Expression guard, LogicalPlan child) {
        return guard.resolved() && guard.deterministic() && guard.references().subsetOf(child.outputSet())
                && !anyNode(guard, e -> e instanceof AggregateExpression || e instanceof WindowExpression
                || e instanceof SubqueryExpression);
    }

    private static boolean containsCall(Expression expression) {
        return anyNode(expression, e -> e instanceof GlinerExtractCall);
    }

    private static boolean containsOtherCall(Expression expression, Expression call) {
        return anyNode(expression, e -> e instanceof GlinerExtractCall && !e.semanticEquals(call));
    }

    private static boolean anyNode(Expression expression, Predicate<Expression> test) {
        if (test.test(expression)) {
            return true;
        }
        for (Expression child : ScalaSeqs.list(expression.children())) {
            if (anyNode(child, test)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfCall(List<GuardedCall> calls, Expression expression) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).call().semanticEquals(expression)) {
                return i;
            }
        }
        return -1;
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
