package io.glinerspark.spark.eval;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.ModelOptions;
import io.glinerspark.dataset.GoldSpan;
import io.glinerspark.dataset.LabelledSentence;
import io.glinerspark.eval.DatasetScore;
import io.glinerspark.eval.EvaluationDataset;
import io.glinerspark.eval.EvaluationReport;
import io.glinerspark.eval.MatchCounts;
import io.glinerspark.eval.SpanMatcher;
import io.glinerspark.spark.task.JobModel;
import io.glinerspark.spark.task.PartitionExtraction;
import io.glinerspark.spark.task.RowBlockExtractor;
import io.glinerspark.types.Entity;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.sum;

/**
 * Scores a model on datasets with Spark: sentences are spread over partitions, each partition runs the model on
 * pre-split words through the same extraction core as the extraction job ({@link PartitionExtraction}: the model is
 * shipped to executors and fingerprint-checked by {@link JobModel}, one per executor JVM, on the task's device)
 * and counts matches per label, and the driver sums the counts into a report.
 *
 * <p>A sentence is asked every label of its dataset, except a partially labelled one
 * ({@link LabelledSentence#annotatedTypes()}), which is asked only the labels it was annotated for, in the
 * dataset's label order: a type the annotators never looked at in that sentence would otherwise count its true
 * mentions as false positives. A sentence annotated for no type is asked nothing.
 */
public final class SparkEvaluator {

    /** Sentences per model call: the model batches inside a call; this only bounds the results held at once. */
    private static final int SENTENCES_PER_CALL = 256;
    /** Sentences per partition below which more partitions would only add task overhead. */
    private static final int MIN_SENTENCES_PER_PARTITION = 64;

    private static final StructType GOLD_SPAN = new StructType()
            .add("start", DataTypes.IntegerType, false)
            .add("end", DataTypes.IntegerType, false)
            .add("type", DataTypes.StringType, false);
    private static final StructType SENTENCE = new StructType()
            .add("dataset", DataTypes.IntegerType, false)
            .add("sentence", DataTypes.IntegerType, false)
            .add("words", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("gold", DataTypes.createArrayType(GOLD_SPAN, false), false)
            .add("types", DataTypes.createArrayType(DataTypes.StringType, false), true);
    private static final StructType LABEL_COUNTS = new StructType()
            .add("dataset", DataTypes.IntegerType, false)
            .add("label", DataTypes.StringType, false)
            .add("gold", DataTypes.LongType, false)
            .add("predicted", DataTypes.LongType, false)
            .add("correct", DataTypes.LongType, false);

    private final SparkSession spark;
    private final ModelOptions model;
    private final double threshold;

    /**
     * @param threshold probability threshold, a span is kept when {@code p > threshold} (compared in float32 by the
     *                  model); the reference uses 0.5
     */
    public SparkEvaluator(SparkSession spark, ModelOptions model, double threshold) {
        this.spark = spark;
        this.model = model;
        this.threshold = threshold;
    }

    /** Runs the model over every dataset and scores it. */
    public EvaluationReport evaluate(List<EvaluationDataset> datasets) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("no dataset to evaluate");
        }
        List<Prompts> prompts = new ArrayList<>();
        List<Row> sentences = new ArrayList<>();
        for (int d = 0; d < datasets.size(); d++) {
            EvaluationDataset dataset = datasets.get(d);
            ExtractionOptions options = ExtractionOptions.defaults()
                    .withThreshold((float) threshold)
                    .withFlatNer(!dataset.nested());
            prompts.add(new Prompts(dataset.name(), dataset.labels(), options));
            List<LabelledSentence> datasetSentences = dataset.sentences();
            for (int s = 0; s < datasetSentences.size(); s++) {
                sentences.add(sentenceRow(d, s, datasetSentences.get(s)));
            }
        }
        List<Row> totals = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(sentences, partitions(sentences.size())), SENTENCE)
                .mapPartitions(new ScorePartition(JobModel.prepare(spark, model), prompts),
                        Encoders.row(LABEL_COUNTS))
                .groupBy("dataset", "label")
                .agg(sum("gold").as("gold"), sum("predicted").as("predicted"), sum("correct").as("correct"))
                .collectAsList();
        return report(datasets, totals);
    }

    int partitions(int sentenceCount) {
        int wanted = (sentenceCount + MIN_SENTENCES_PER_PARTITION - 1) / MIN_SENTENCES_PER_PARTITION;
        return Math.max(1, Math.min(wanted, 4 * spark.sparkContext().defaultParallelism()));
    }

    private static Row sentenceRow(int dataset, int index, LabelledSentence sentence) {
        Row[] gold = new Row[sentence.spans().size()];
        for (int i = 0; i < gold.length; i++) {
            GoldSpan span = sentence.spans().get(i);
            gold[i] = RowFactory.create(span.start(), span.end(), span.type());
        }
        String[] types = sentence.annotatedTypes().map(list -> list.toArray(String[]::new)).orElse(null);
        return RowFactory.create(dataset, index, sentence.words().toArray(String[]::new), gold, types);
    }

    private EvaluationReport report(List<EvaluationDataset> datasets, List<Row> totals) {
        List<Map<String, MatchCounts>> labelCounts = new ArrayList<>();
        List<Map<String, MatchCounts>> otherTypes = new ArrayList<>();
        for (EvaluationDataset dataset : datasets) {
            Map<String, MatchCounts> counts = new LinkedHashMap<>();
            dataset.labels().forEach(label -> counts.put(label, MatchCounts.ZERO));
            labelCounts.add(counts);
            otherTypes.add(new TreeMap<>());
        }
        for (Row row : totals) {
            int dataset = row.getInt(0);
            String label = row.getString(1);
            MatchCounts counts = new MatchCounts(row.getLong(2), row.getLong(3), row.getLong(4));
            (labelCounts.get(dataset).containsKey(label) ? labelCounts : otherTypes).get(dataset).put(label, counts);
        }
        List<DatasetScore> scores = new ArrayList<>();
        for (int d = 0; d < datasets.size(); d++) {
            EvaluationDataset dataset = datasets.get(d);
            labelCounts.get(d).putAll(otherTypes.get(d));
            scores.add(new DatasetScore(dataset.name(), dataset.nested(), dataset.sentences().size(), labelCounts.get(d)));
        }
        return new EvaluationReport(model.source(), threshold, scores);
    }

    /** What the model is asked for one dataset. */
    private record Prompts(String dataset, List<String> labels, ExtractionOptions options) implements Serializable {

        /** The labels asked of one sentence row: all of them, or those of its annotated types. */
        List<String> labelsFor(Row sentence) {
            if (sentence.isNullAt(4)) {
                return labels;
            }
            List<String> annotated = sentence.getList(4);
            return labels.stream().filter(annotated::contains).toList();
        }
    }

    /** The match counts of one sentence, per label. */
    private record SentenceCounts(int dataset, Map<String, MatchCounts> counts) {
    }

    /**
     * Runs the model over one partition's sentences and returns its counts per (dataset, label). Each dataset is one
     * call of the shared extraction core, with its own decoding; a sentence asks only its dataset's call.
     */
    private static final class ScorePartition implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        private final PartitionExtraction extraction;
        private final List<Prompts> prompts;

        ScorePartition(JobModel model, List<Prompts> prompts) {
            this.prompts = List.copyOf(prompts);
            // The labels are the datasets' own: a list the model rejects is a configuration error, not a sentence's.
            this.extraction = new PartitionExtraction(model, prompts.stream().map(Prompts::options).toList(), true,
                    SENTENCES_PER_CALL, null);
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            List<Map<String, MatchCounts>> counts = new ArrayList<>();
            prompts.forEach(p -> counts.add(new HashMap<>()));
            Iterator<SentenceCounts> scored = extraction.apply(rows, row -> row,
                    new PartitionExtraction.RowAdapter<Row, SentenceCounts>() {
                        @Override
                        public List<RowBlockExtractor.Request> requests(Row row) {
                            int dataset = row.getInt(0);
                            List<String> labels = prompts.get(dataset).labelsFor(row);
                            List<RowBlockExtractor.Request> requests = new ArrayList<>(
                                    Collections.nCopies(prompts.size(), null));
                            // A sentence annotated for no type is asked nothing: no call, no prediction.
                            requests.set(dataset, RowBlockExtractor.Request.ofWords(row.getList(2),
                                    labels.isEmpty() ? null : labels));
                            return requests;
                        }

                        @Override
                        public SentenceCounts output(Row row, List<RowBlockExtractor.Result> results, long index) {
                            int dataset = row.getInt(0);
                            RowBlockExtractor.Result result = results.get(dataset);
                            if (result.error() != null) {
                                throw new IllegalStateException("dataset " + prompts.get(dataset).dataset()
                                        + ", sentence " + row.getInt(1) + ": " + result.error());
                            }
                            List<Entity> predicted = result.entities().get(0);
                            List<GoldSpan> gold = new ArrayList<>();
                            for (Row span : row.<Row>getList(3)) {
                                gold.add(new GoldSpan(span.getInt(0), span.getInt(1), span.getString(2)));
                            }
                            return new SentenceCounts(dataset,
                                    SpanMatcher.match(gold, predicted == null ? List.of() : predicted));
                        }
                    });
            while (scored.hasNext()) {
                SentenceCounts sentence = scored.next();
                sentence.counts().forEach((label, c) -> counts.get(sentence.dataset()).merge(label, c, MatchCounts::plus));
            }
            List<Row> out = new ArrayList<>();
            for (int d = 0; d < counts.size(); d++) {
                for (Map.Entry<String, MatchCounts> label : counts.get(d).entrySet()) {
                    MatchCounts c = label.getValue();
                    out.add(RowFactory.create(d, label.getKey(), c.gold(), c.predicted(), c.correct()));
                }
            }
            return out.iterator();
        }
    }
}
