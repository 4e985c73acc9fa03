package io.glinerspark.spark;

import io.glinerspark.ExtractionOptions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans {@link GlinerBatch} as {@link GlinerBatchExec}. The model and the decoding defaults come from the
 * session's {@code spark.gliner.*} settings as they are when the query is planned (so {@code SET} takes effect
 * on the next query); a call's own threshold and options override the decoding defaults.
 */
final class GlinerBatchStrategy extends SparkStrategy {

    private final SparkSession session;

    GlinerBatchStrategy(SparkSession session) {
        this.session = session;
    }

    @Override
    public Seq<SparkPlan> apply(LogicalPlan plan) {
        if (plan instanceof GlinerBatch batch) {
            return ScalaSeqs.of(List.of(new GlinerBatchExec(batch.calls(), batch.results(), planLater(batch.child()),
                    extraction(batch))));
        }
        if (ExtractGlinerCalls.holdsCall(plan)) {
            throw new UnsupportedOperationException(GlinerExtractCall.NAME + " cannot be evaluated in "
                    + plan.nodeName() + " (" + plan.simpleString(200) + "): use it in SELECT, WHERE, GROUP BY or "
                    + "LATERAL VIEW over a single input, e.g. compute it in a subquery and join the result");
        }
        return ScalaSeqs.of(List.of());
    }

    private SqlExtraction extraction(GlinerBatch batch) {
        Map<String, String> settings = GlinerConf.stripPrefix(CollectionConverters.asJava(session.conf().getAll()));
        ExtractionOptions sessionDecoding = GlinerConf.extractionOptions(settings, ExtractionOptions.defaults());
        List<ExtractionOptions> callOptions = new ArrayList<>();
        for (Expression call : ScalaSeqs.list(batch.calls())) {
            Map<String, String> overrides = new LinkedHashMap<>(((GlinerExtractCall) call).decodingOverrides());
            callOptions.add(GlinerConf.extractionOptions(overrides, sessionDecoding));
        }
        ExecutorModel model = ExecutorModel.prepare(session, GlinerConf.modelOptions(settings));
        return new SqlExtraction(model, callOptions, GlinerConf.rowsPerBlock(settings));
    }
}
