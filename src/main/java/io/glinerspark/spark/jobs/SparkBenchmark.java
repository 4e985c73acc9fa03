package io.glinerspark.spark.jobs;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.FrontEnd;
import io.glinerspark.settings.Group;
import io.glinerspark.settings.OptionArguments;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;
import io.glinerspark.settings.Spelling;
import io.glinerspark.spark.ml.GlinerTransformer;
import io.glinerspark.spark.task.JobModel;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * Throughput of the same model on the same documents three ways: the engine alone (one thread calling
 * {@link GlinerModel#extract} block by block), the DataFrame path ({@link GlinerTransformer}) and the SQL path
 * ({@code gliner_extract}); prints one JSON line. The input is read and cached before timing, each Spark run ends
 * in a count of the entities found (so the figures are extraction throughput, and both paths must find the same
 * entities), both Spark paths are warmed up on a few documents,
 * and the faster of two alternating runs counts. Launch with {@code jobs/bench-spark.sh}.
 *
 * <p>Arguments: the registry's settings that the benchmark reads, {@code --<name> value}: {@code --corpus path}
 * (JSON lines with a {@code text} field), {@code --limit N} (default: every document; {@code jobs/bench-spark.sh}
 * passes 500), {@code --labels a,b}, and every model and decoding setting ({@code --model}, {@code --threshold},
 * {@code --rowsPerBlock}, ...), which both Spark paths get.
 */
public final class SparkBenchmark {

    private SparkBenchmark() {
    }

    public static void main(String[] args) {
        SettingValues settings = SettingValues.of(OptionArguments.parse(List.of(args), FrontEnd.SPARK_BENCHMARK,
                Set.of()), Spelling.OPTION);
        SparkConf conf = new SparkConf();
        // The SQL function reads the model settings from the application's configuration only.
        settings.given().forEach((name, value) -> {
            if (Settings.byName(name).group() == Group.MODEL) {
                conf.set(Settings.PREFIX + name, value);
            }
        });
        SparkSession spark = JobSessions.create(conf, "gliner-bench");
        try {
            System.out.println(run(spark, settings));
        } finally {
            spark.stop();
        }
    }

    /**
     * The DataFrame path's transformer: every model and decoding setting given to the benchmark reaches it through
     * {@link GlinerTransformer#setSettings}, as the SQL path gets them through the configuration.
     */
    static GlinerTransformer transformer(SettingValues settings) {
        return new GlinerTransformer().setSettings(settings).setInputCol("text").setOutputCol("entities")
                .setLabels(settings.get(Settings.LABELS).toArray(String[]::new));
    }

    static String run(SparkSession spark, SettingValues settings) {
        Integer limit = settings.get(Settings.LIMIT);
        List<String> labels = settings.get(Settings.LABELS);
        GlinerTransformer transformer = transformer(settings);
        ModelOptions modelOptions = transformer.modelOptions();
        ExtractionOptions decoding = transformer.extractionOptions();
        int rowsPerBlock = (Integer) transformer.getOrDefault(transformer.rowsPerBlock());
        settings.given().forEach((name, value) -> {
            if (Settings.byName(name).group() == Group.DECODING) {
                spark.conf().set(Settings.PREFIX + name, value);
            }
        });

        Dataset<Row> documents = spark.read().schema("text STRING").json(settings.get(Settings.CORPUS))
                .select(col("text")).filter(col("text").isNotNull());
        documents = (limit != null ? documents.limit(limit) : documents).cache();
        int count = (int) documents.count();
        int partitions = Math.max(1, spark.sparkContext().defaultParallelism());
        documents = documents.repartition(partitions).cache();
        documents.count();
        List<String> texts = documents.as(Encoders.STRING()).collectAsList();

        // Engine alone: the job model as this JVM's tasks load it, so every path below runs the same session.
        GlinerModel model = JobModel.prepare(spark, modelOptions).get();
        model.extract(texts.subList(0, Math.min(8, texts.size())), labels, decoding);
        long t0 = System.nanoTime();
        for (int start = 0; start < texts.size(); start += rowsPerBlock) {
            model.extract(texts.subList(start, Math.min(texts.size(), start + rowsPerBlock)), labels, decoding);
        }
        double engine = seconds(t0);

        documents.createOrReplaceTempView("gliner_bench_docs");
        String labelArray = labels.stream().map(l -> "'" + l.replace("'", "\\'") + "'").collect(Collectors.joining(", "));
        String query = "SELECT text, gliner_extract(text, array(" + labelArray + ")) AS entities FROM ";
        Dataset<Row> warmUp = documents.limit(4 * partitions).repartition(partitions);
        warmUp.createOrReplaceTempView("gliner_bench_warm_up");

        // Each path runs once on a few documents first, so neither pays for first-use costs the other avoided;
        // then the two alternate twice and the faster run of each counts.
        noop(transformer.transform(warmUp));
        noop(spark.sql(query + "gliner_bench_warm_up"));
        double dataFrame = Double.MAX_VALUE;
        double sql = Double.MAX_VALUE;
        long dataFrameEntities = 0;
        long sqlEntities = 0;
        for (int round = 0; round < 2; round++) {
            long t1 = System.nanoTime();
            dataFrameEntities = entityCount(transformer.transform(documents));
            dataFrame = Math.min(dataFrame, seconds(t1));
            long t2 = System.nanoTime();
            sqlEntities = entityCount(spark.sql(query + "gliner_bench_docs"));
            sql = Math.min(sql, seconds(t2));
        }
        if (dataFrameEntities != sqlEntities) {
            throw new IllegalStateException("the DataFrame path found " + dataFrameEntities + " entities, the SQL path "
                    + sqlEntities + ": they must do the same work");
        }

        List<String> fields = new ArrayList<>();
        fields.add(String.format(Locale.ROOT, "\"documents\":%d", count));
        fields.add(String.format(Locale.ROOT, "\"entities\":%d", sqlEntities));
        fields.add(String.format(Locale.ROOT, "\"engine_docs_per_s\":%.2f", count / engine));
        fields.add(String.format(Locale.ROOT, "\"dataframe_docs_per_s\":%.2f", count / dataFrame));
        fields.add(String.format(Locale.ROOT, "\"sql_docs_per_s\":%.2f", count / sql));
        fields.add(String.format(Locale.ROOT, "\"sql_vs_dataframe\":%.3f", dataFrame / sql));
        fields.add("\"model\":\"" + modelOptions.source().replace("\"", "'") + "\"");
        fields.add("\"labels\":" + labels.size());
        fields.add("\"partitions\":" + partitions);
        fields.add("\"rows_per_block\":" + rowsPerBlock);
        fields.add("\"master\":\"" + spark.sparkContext().master() + "\"");
        return "{" + String.join(",", fields) + "}";
    }

    private static void noop(Dataset<Row> result) {
        result.write().format("noop").mode("overwrite").save();
    }

    private static long entityCount(Dataset<Row> result) {
        return result.selectExpr("sum(size(entities))").first().getLong(0);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
