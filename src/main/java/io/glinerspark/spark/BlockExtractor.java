package io.glinerspark.spark;

import io.glinerspark.Entity;
import io.glinerspark.ExtractionOptions;
import io.glinerspark.GlinerModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extracts the entities of one block of rows. Rows that share a label list go to the model together (one call,
 * which the engine batches by its word and token budgets); each row may hold several texts (one per text column).
 *
 * <p>Input errors stay with their row: when a call fails with {@link IllegalArgumentException} (an empty label,
 * a text too long under the {@code fail} policy, ...), the rows of that call are extracted one by one and each
 * failing row gets its message. Other failures (the runtime itself) fail the task, so Spark retries it.
 */
final class BlockExtractor {

    /**
     * One row to extract.
     *
     * @param texts  one text per text column; a null text gives a null result for that column
     * @param labels the row's label list; null gives null results for the whole row
     */
    record Request(String[] texts, List<String> labels) {
    }

    /**
     * The outcome for one row.
     *
     * @param entities per text column: the entities, or null for a null text (all null when {@code error} is set)
     * @param error    why the row could not be extracted, or null
     */
    record Result(List<List<Entity>> entities, String error) {
    }

    private final GlinerModel model;
    private final ExtractionOptions options;
    private final ExtractionMetrics metrics;

    /** @param metrics counters to update, or null */
    BlockExtractor(GlinerModel model, ExtractionOptions options, ExtractionMetrics metrics) {
        this.model = model;
        this.options = options;
        this.metrics = metrics;
    }

    List<Result> extract(List<Request> block) {
        Result[] results = new Result[block.size()];
        Map<List<String>, List<Integer>> rowsByLabels = new LinkedHashMap<>();
        for (int i = 0; i < block.size(); i++) {
            Request request = block.get(i);
            String labelError = request.labels() == null ? null : labelError(request.labels());
            if (request.labels() == null) {
                results[i] = nullResult(request);
            } else if (labelError != null) {
                results[i] = new Result(nullResult(request).entities(), labelError);
            } else {
                rowsByLabels.computeIfAbsent(request.labels(), k -> new ArrayList<>()).add(i);
            }
        }
        rowsByLabels.forEach((labels, rows) -> extractGroup(block, labels, rows, results));

        long documents = 0;
        long entities = 0;
        long errors = 0;
        for (Result result : results) {
            if (result.error() != null) {
                errors++;
                continue;
            }
            for (List<Entity> found : result.entities()) {
                if (found != null) {
                    documents++;
                    entities += found.size();
                }
            }
        }
        if (metrics != null) {
            metrics.addDocuments(documents);
            metrics.addEntities(entities);
            metrics.addErrorRows(errors);
        }
        return List.of(results);
    }

    private void extractGroup(List<Request> block, List<String> labels, List<Integer> rows, Result[] results) {
        List<String> texts = new ArrayList<>();
        for (int row : rows) {
            for (String text : block.get(row).texts()) {
                if (text != null) {
                    texts.add(text);
                }
            }
        }
        List<List<Entity>> found;
        try {
            found = model.extract(texts, labels, options);
        } catch (IllegalArgumentException e) {
            for (int row : rows) {
                results[row] = extractAlone(block.get(row));
            }
            return;
        }
        int next = 0;
        for (int row : rows) {
            String[] rowTexts = block.get(row).texts();
            List<List<Entity>> perColumn = new ArrayList<>(rowTexts.length);
            for (String text : rowTexts) {
                perColumn.add(text == null ? null : found.get(next++));
            }
            results[row] = new Result(perColumn, null);
        }
    }

    private Result extractAlone(Request request) {
        List<List<Entity>> perColumn = new ArrayList<>(request.texts().length);
        try {
            for (String text : request.texts()) {
                perColumn.add(text == null ? null : model.extract(List.of(text), request.labels(), options).get(0));
            }
        } catch (IllegalArgumentException e) {
            return new Result(nullResult(request).entities(), e.getMessage());
        }
        return new Result(perColumn, null);
    }

    private static Result nullResult(Request request) {
        List<List<Entity>> nulls = new ArrayList<>(request.texts().length);
        for (int i = 0; i < request.texts().length; i++) {
            nulls.add(null);
        }
        return new Result(nulls, null);
    }

    /** Checks Spark can hand us but the engine's contract does not cover: NULL elements. */
    private static String labelError(List<String> labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                return "label list " + labels + " has a NULL at position " + i;
            }
        }
        return null;
    }
}
