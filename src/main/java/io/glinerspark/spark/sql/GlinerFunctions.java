package io.glinerspark.spark.sql;

import io.glinerspark.spark.ScalaSeqs;
import org.apache.spark.sql.ExperimentalMethods;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.Function1;
import scala.collection.immutable.Seq;
import scala.runtime.AbstractFunction1;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL function {@code gliner_extract} and what it needs to run in batches: the function itself, the optimizer
 * rule that moves its calls into a {@link GlinerBatch} ({@link GlinerCallBatchingRule}) and the strategy that plans
 * that operator ({@link GlinerBatchStrategy}).
 *
 * <p>Two ways to install them: {@link GlinerSparkSessionExtensions} in {@code spark.sql.extensions} when the
 * application starts (every session of the application gets them), or {@link #register(SparkSession)} in a
 * running session, for platforms where the jar is loaded after Spark started (a Databricks cluster library, a
 * notebook's {@code spark.jars}).
 */
public final class GlinerFunctions {

    /** The function's name in the session's function registry. */
    static final FunctionIdentifier IDENTIFIER = new FunctionIdentifier(GlinerExtractCall.NAME);

    /** Builds a call from its SQL arguments; type checking happens in {@link GlinerExtractCall}. */
    static final Function1<Seq<Expression>, Expression> BUILDER = new CallBuilder();

    private GlinerFunctions() {
    }

    /**
     * Registers {@code gliner_extract} in {@code session}, batched exactly as with the extension (same
     * {@code GlinerBatch} operator in {@code EXPLAIN}). Calling it again, or in a session that already has the
     * extension, changes nothing. It applies to this session only: a session made later with
     * {@code newSession()} needs its own call (the extension covers every session).
     *
     * @param session a running session, started with or without {@link GlinerSparkSessionExtensions}
     */
    public static void register(SparkSession session) {
        FunctionRegistry registry = session.sessionState().functionRegistry();
        FunctionIdentifier qualified = builtinIdentifier(registry);
        if (!registry.functionExists(qualified)) {
            registry.registerFunction(qualified, GlinerExtractCall.info(), BUILDER);
        }
        ExperimentalMethods experimental = session.experimental();
        if (installed(session.sessionState().planner().extraPlanningStrategies())
                || installed(experimental.extraStrategies())) {
            return;
        }
        List<Rule<LogicalPlan>> rules = new ArrayList<>(ScalaSeqs.list(experimental.extraOptimizations()));
        rules.add(new ExtractThenOptimize(session));
        experimental.extraOptimizations_$eq(ScalaSeqs.of(rules));
        List<SparkStrategy> strategies = new ArrayList<>(ScalaSeqs.list(experimental.extraStrategies()));
        strategies.add(new GlinerBatchStrategy(session));
        experimental.extraStrategies_$eq(ScalaSeqs.of(strategies));
    }

    /**
     * The name under which the registry keeps a built-in function, as the extension's injection stores it: newer
     * Spark lines qualify built-ins with a catalog and schema, older ones use the bare name. The form is taken from
     * a function every line has, so one jar's sources serve each line.
     */
    private static FunctionIdentifier builtinIdentifier(FunctionRegistry registry) {
        for (FunctionIdentifier existing : ScalaSeqs.list(registry.listFunction())) {
            if (existing.funcName().equals("upper")) {
                return new FunctionIdentifier(GlinerExtractCall.NAME, existing.database(), existing.catalog());
            }
        }
        return IDENTIFIER;
    }

    /** Whether the batch operator can already be planned, by the extension's strategy or an earlier call's. */
    private static boolean installed(scala.collection.Seq<SparkStrategy> strategies) {
        return ScalaSeqs.list(strategies).stream().anyMatch(GlinerBatchStrategy.class::isInstance);
    }

    /**
     * The optimizer rule for sessions without the extension. Spark runs a session's extra optimizations after all of
     * its own rules, while the extension's rule runs among them; so once calls are moved into a batch, the plan goes
     * through the session's optimizer again, which makes it the plan the extension gives (filters inferred from a
     * LATERAL VIEW, projections collapsed). A plan without calls is returned as it is, which ends the recursion.
     */
    private static final class ExtractThenOptimize extends Rule<LogicalPlan> {

        private final SparkSession session;
        private final GlinerCallBatchingRule batching = new GlinerCallBatchingRule();

        ExtractThenOptimize(SparkSession session) {
            this.session = session;
        }

        @Override
        public LogicalPlan apply(LogicalPlan plan) {
            LogicalPlan extracted = batching.apply(plan);
            return extracted.fastEquals(plan) ? plan : session.sessionState().optimizer().execute(extracted);
        }
    }

    private static final class CallBuilder extends AbstractFunction1<Seq<Expression>, Expression>
            implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        @Override
        public Expression apply(Seq<Expression> arguments) {
            return new GlinerExtractCall(arguments);
        }
    }
}
