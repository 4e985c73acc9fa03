package io.glinerspark.spark.sql;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import io.glinerspark.LabelVectors;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.spark.GlinerConf;
import io.glinerspark.spark.ScalaSeqs;
import io.glinerspark.spark.task.JobModel;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.SparkStrategy;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans {@link GlinerBatch} as {@link GlinerBatchExec}. The model and its placement come from the application's
 * static configuration (the {@code SparkConf} it started with), so no session of a shared server can point the
 * function at other files or resources; the cap on a text's length comes from there too. A query of a session that
 * {@code SET} one of them to another value is refused, naming the setting. The decoding defaults come from the session's {@code spark.gliner.*} settings as
 * they are when the query is planned ({@code SET} takes effect on the next query); a call's own threshold and
 * options override them.
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
                    settings(batch))));
        }
        if (GlinerCallBatchingRule.holdsCall(plan)) {
            throw new UnsupportedOperationException(GlinerExtractCall.NAME + " cannot be evaluated in "
                    + plan.nodeName() + " (" + plan.simpleString(200) + "): use it in SELECT, WHERE, GROUP BY or "
                    + "LATERAL VIEW over a single input, e.g. compute it in a subquery and join the result");
        }
        return ScalaSeqs.of(List.of());
    }

    private GlinerBatchSettings settings(GlinerBatch batch) {
        SettingValues sessionSettings = GlinerConf.settings(CollectionConverters.asJava(session.conf().getAll()));
        Map<String, String> applicationConf = new LinkedHashMap<>();
        for (Tuple2<String, String> entry : session.sparkContext().getConf().getAll()) {
            applicationConf.put(entry._1(), entry._2());
        }
        SettingValues staticSettings = GlinerConf.settings(applicationConf);
        GlinerConf.checkModelSettingsUnchanged(staticSettings, sessionSettings);
        ExtractionOptions sessionDecoding = ExtractionOptions.from(sessionSettings);
        List<ExtractionOptions> callOptions = new ArrayList<>();
        for (Expression call : ScalaSeqs.list(batch.calls())) {
            callOptions.add(ExtractionOptions.from(SettingValues.of(((GlinerExtractCall) call).decodingOverrides(),
                    Spelling.CONF_KEY), sessionDecoding));
        }
        JobModel model = JobModel.prepare(session, ModelOptions.from(staticSettings));
        Map<String, float[]> vectors = new HashMap<>();
        for (Expression call : ScalaSeqs.list(batch.calls())) {
            vectors.putAll(checkConstantLabels((GlinerExtractCall) call, model));
        }
        model = model.withLabelVectors(session, new LabelVectors(model.fingerprint(), vectors));
        return new GlinerBatchSettings(model, callOptions, staticSettings.get(Settings.ROWS_PER_BLOCK),
                staticSettings.get(Settings.SQL_MAX_TEXT_CHARS));
    }

    /**
     * A constant label list the model rejects would make every row's value NULL: it is a mistake in the query, so it
     * fails the query when it is planned, naming the call and the label. A bi-encoder encodes an accepted list here,
     * once for the query: its vectors by encoded text are returned for the executors (none for other models).
     */
    private static Map<String, float[]> checkConstantLabels(GlinerExtractCall call, JobModel model) {
        if (!call.labels().foldable()) {
            return Map.of();
        }
        LabelSet labels = GlinerExtractCall.labelSet(call.labels().eval(null));
        if (labels == null) {
            return Map.of();
        }
        try (GlinerModel onDriver = model.onDriver()) {
            return onDriver.labelVectors(labels).vectors();
        } catch (InvalidLabelsException e) {
            throw new IllegalArgumentException(GlinerExtractCall.NAME + ": the constant labels of "
                    + call.sqlWithoutTexts() + " are rejected: " + e.getMessage(), e);
        }
    }
}
