package io.glinerspark.spark.task;

import io.glinerspark.ExtractionOptions;
import io.glinerspark.ExtractionResult;
import io.glinerspark.ExtractionStats;
import io.glinerspark.GlinerModel;
import io.glinerspark.PerTextLabels;
import io.glinerspark.types.Entity;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Extracts the entities of one block of rows. Rows that share a label list go to the model together (one call,
 * which the engine batches by its word and token budgets); each row may hold several texts (one per text column),
 * given as strings or pre-split into words.
 *
 * <p>Only errors that belong to a row become that row's error: a per-row label list the engine rejects fails the rows
 * that carry it, a text the engine cannot extract (too long under the {@code fail} policy) fails its row; the other
 * rows of the block are unaffected. Everything else is thrown so that the task fails and Spark retries it: errors of
 * the runtime (an ONNX Runtime failure, device memory, a broken session) and a rejected label list shared by every
 * row, which is a configuration error (the transformer checks it on the driver before any task runs).
 */
public final class RowBlockExtractor {

    /**
     * One row to extract: texts, or texts given pre-split into words (entity offsets then refer to the words joined
     * by single spaces).
     *
     * @param texts  one text per text column, a null text gives a null result for that column; null when the row
     *               holds words
     * @param words  one word list per text column, a null list gives a null result; null when the row holds texts
     * @param labels the row's labels, which may carry descriptions; null gives null results for the whole row
     */
    public record Request(String[] texts, List<List<String>> words, LabelSet labels) {

        public Request {
            if ((texts == null) == (words == null)) {
                throw new IllegalArgumentException("a request holds either texts or words");
            }
        }

        public Request(String[] texts, LabelSet labels) {
            this(texts, null, labels);
        }

        public Request(String[] texts, List<String> labels) {
            this(texts, null, labels == null ? null : LabelSet.of(labels));
        }

        /** A row of one text given as words. */
        public static Request ofWords(List<String> words, List<String> labels) {
            return new Request(null, Collections.singletonList(words), labels == null ? null : LabelSet.of(labels));
        }

        /** The number of text columns. */
        public int columns() {
            return texts != null ? texts.length : words.size();
        }

        private boolean isNull(int column) {
            return texts != null ? texts[column] == null : words.get(column) == null;
        }
    }

    /**
     * The outcome for one row.
     *
     * @param entities per text column: the entities, or null for a null text or a text that failed
     * @param error    why (some of) the row could not be extracted, or null
     */
    public record Result(List<List<Entity>> entities, String error) {
    }

    private final GlinerModel model;
    private final ExtractionOptions options;
    private final ExtractionMetrics metrics;
    private final boolean sharedLabels;

    /**
     * An extractor for rows that each carry their own label list: a list the engine rejects is an error of the rows
     * that carry it.
     *
     * @param metrics counters to update (the task and its device are counted here), or null
     */
    public RowBlockExtractor(GlinerModel model, ExtractionOptions options, ExtractionMetrics metrics) {
        this(model, options, metrics, false);
    }

    /**
     * An extractor for rows that carry either their own label list or the job's one list.
     *
     * @param metrics      counters to update, or null
     * @param sharedLabels true when every row carries the job's one label list: a rejection of it is thrown
     */
    public RowBlockExtractor(GlinerModel model, ExtractionOptions options, ExtractionMetrics metrics,
                             boolean sharedLabels) {
        this(model, options, metrics, sharedLabels, true);
    }

    /** @param countTask whether this extractor counts the task in {@code metrics} (a task counts once) */
    RowBlockExtractor(GlinerModel model, ExtractionOptions options, ExtractionMetrics metrics, boolean sharedLabels,
                      boolean countTask) {
        this.model = model;
        this.options = options;
        this.metrics = metrics;
        this.sharedLabels = sharedLabels;
        if (metrics != null && countTask) {
            metrics.addTask(model.info());
        }
    }

    /** The outcome of each row of {@code block}, in its order. */
    public List<Result> extract(List<Request> block) {
        List<String> texts = new ArrayList<>();
        List<LabelSet> textLabels = new ArrayList<>();
        List<List<String>> words = new ArrayList<>();
        List<LabelSet> wordLabels = new ArrayList<>();
        for (Request request : block) {
            if (request.labels() == null) {
                continue;
            }
            for (int column = 0; column < request.columns(); column++) {
                if (request.texts() != null && request.texts()[column] != null) {
                    texts.add(request.texts()[column]);
                    textLabels.add(request.labels());
                } else if (request.words() != null && request.words().get(column) != null) {
                    words.add(request.words().get(column));
                    wordLabels.add(request.labels());
                }
            }
        }
        ExtractionStats stats = new ExtractionStats();
        List<ExtractionResult> foundTexts = texts.isEmpty() ? List.of()
                : PerTextLabels.extractSets(model, texts, textLabels, options, stats);
        List<ExtractionResult> foundWords = words.isEmpty() ? List.of()
                : PerTextLabels.extractWordSets(model, words, wordLabels, options, stats);
        List<Result> results = new ArrayList<>(block.size());
        int nextText = 0;
        int nextWords = 0;
        for (Request request : block) {
            int columns = request.columns();
            if (request.labels() == null) {
                results.add(new Result(nulls(columns), null));
                continue;
            }
            List<List<Entity>> perColumn = new ArrayList<>(columns);
            StringBuilder errors = new StringBuilder();
            InvalidLabelsException rejectedLabels = null;
            for (int column = 0; column < columns; column++) {
                if (request.isNull(column)) {
                    perColumn.add(null);
                    continue;
                }
                ExtractionResult result = request.texts() != null ? foundTexts.get(nextText++)
                        : foundWords.get(nextWords++);
                perColumn.add(result.failed() ? null : result.entities());
                if (result.error() instanceof InvalidLabelsException e) {
                    rejectedLabels = e;
                } else if (result.failed()) {
                    errors.append(errors.length() == 0 ? "" : "; ")
                            .append(columns > 1 ? "text " + column + ": " : "")
                            .append(result.error().getMessage());
                }
            }
            if (rejectedLabels != null && sharedLabels) {
                throw rejectedLabels;
            }
            results.add(rejectedLabels != null
                    ? new Result(nulls(columns), "labels " + describe(request.labels()) + ": "
                            + rejectedLabels.getMessage())
                    : new Result(perColumn, errors.length() == 0 ? null : errors.toString()));
        }
        count(results, stats);
        return results;
    }

    private void count(List<Result> results, ExtractionStats stats) {
        if (metrics == null) {
            return;
        }
        long entities = 0;
        long errors = 0;
        for (Result result : results) {
            errors += result.error() == null ? 0 : 1;
            for (List<Entity> found : result.entities()) {
                entities += found == null ? 0 : found.size();
            }
        }
        metrics.addDocuments(stats.documents());
        metrics.addChunkedDocuments(stats.chunkedDocuments());
        metrics.addOversizedWords(stats.oversizedWords());
        metrics.addLabelsEncoded(stats.labelsEncoded());
        metrics.addEntities(entities);
        metrics.addErrorRows(errors);
        metrics.addOrtNanos(stats.ortNanos());
    }

    /** Labels for a message: the first few and the count, as per-row lists can be long, and how many are described. */
    public static String describe(LabelSet labels) {
        int described = labels.descriptions().size();
        return describe(labels.labels()) + (described == 0 ? "" : " (" + described + " with descriptions)");
    }

    /** A label list for a message: the first few labels and the count, as per-row lists can be long. */
    public static String describe(List<String> labels) {
        if (labels.size() <= 10) {
            return labels.toString();
        }
        return labels.subList(0, 10).toString().replaceFirst("]$", ", ... (" + labels.size() + " labels)]");
    }

    private static List<List<Entity>> nulls(int count) {
        List<List<Entity>> nulls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nulls.add(null);
        }
        return nulls;
    }
}
