package io.glinerspark.spark;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.Function1;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Adds the SQL function {@code gliner_extract} to every session, including {@code spark.newSession()} and the
 * sessions of a Thrift server. Enable with
 * {@code spark.sql.extensions=io.glinerspark.spark.GlinerSparkSessionExtensions} (comma-separated with Delta's
 * {@code io.delta.sql.DeltaSparkSessionExtension}); the model comes from the application's {@code spark.gliner.model}.
 *
 * <p>It injects three things: the function (a marker expression with its documentation), an optimizer rule that
 * moves the calls into a batching operator ({@link ExtractGlinerCalls}), and the strategy that plans that operator
 * ({@link GlinerBatchStrategy}).
 */
public final class GlinerSparkSessionExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        Function1<Seq<Expression>, Expression> builder = new AbstractFunction1<>() {
            @Override
            public Expression apply(Seq<Expression> arguments) {
                return new GlinerExtractCall(arguments);
            }
        };
        extensions.injectFunction(new Tuple3<>(new FunctionIdentifier(GlinerExtractCall.NAME), GlinerExtractCall.info(),
                builder));
        extensions.injectOptimizerRule(new AbstractFunction1<>() {
            @Override
            public ExtractGlinerCalls apply(SparkSession session) {
                return new ExtractGlinerCalls();
            }
        });
        extensions.injectPlannerStrategy(new AbstractFunction1<>() {
            @Override
            public GlinerBatchStrategy apply(SparkSession session) {
                return new GlinerBatchStrategy(session);
            }
        });
        return BoxedUnit.UNIT;
    }
}
