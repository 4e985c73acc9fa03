package io.glinerspark.spark.sql;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import scala.Tuple3;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Adds the SQL function {@code gliner_extract} to every session, including {@code spark.newSession()} and the
 * sessions of a Thrift server. Enable with
 * {@code spark.sql.extensions=io.glinerspark.spark.sql.GlinerSparkSessionExtensions} (comma-separated with Delta's
 * {@code io.delta.sql.DeltaSparkSessionExtension}); the model comes from the application's {@code spark.gliner.model}.
 *
 * <p>It injects three things: the function (a marker expression with its documentation), an optimizer rule that
 * moves the calls into a batching operator ({@link GlinerCallBatchingRule}), and the strategy that plans that operator
 * ({@link GlinerBatchStrategy}), all from {@link GlinerFunctions}. A session started without it gets the same with
 * {@link GlinerFunctions#register(SparkSession)}.
 */
public final class GlinerSparkSessionExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectFunction(new Tuple3<>(GlinerFunctions.IDENTIFIER, GlinerExtractCall.info(),
                GlinerFunctions.BUILDER));
        extensions.injectOptimizerRule(new AbstractFunction1<>() {
            @Override
            public GlinerCallBatchingRule apply(SparkSession session) {
                return new GlinerCallBatchingRule();
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
