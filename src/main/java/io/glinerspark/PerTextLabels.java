package io.glinerspark;

import io.glinerspark.types.InferenceException;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extraction of texts that each carry their own label list. The prompt holds the labels, so only texts with the same
 * list can share a model call: the texts that carry one list (equal by content) go to the model in one call, which
 * batches them by length and budget. Lists are extracted in the order they first appear.
 */
public final class PerTextLabels {

    private PerTextLabels() {
    }

    /**
     * Extracts each text with its own label list.
     *
     * @param texts  the texts, as {@link GlinerModel#extractEach} takes them
     * @param labels the label list of each text, one per text
     * @param stats  counters of every call are added here
     * @return one result per text, in input order: its entities, its own error, or, when the model rejects its label
     *         list, that {@link InvalidLabelsException} (the texts of other lists are extracted all the same)
     * @throws InferenceException when the runtime fails on a batch
     */
    public static List<ExtractionResult> extract(GlinerModel model, List<String> texts, List<List<String>> labels,
                                                 ExtractionOptions options, ExtractionStats stats) {
        return extract(texts, sets(labels), (sameList, list) -> model.extractEach(sameList, list, options, stats));
    }

    /** Like {@link #extract}, with label sets that may carry descriptions; texts share a call when their sets are equal. */
    public static List<ExtractionResult> extractSets(GlinerModel model, List<String> texts, List<LabelSet> labels,
                                                     ExtractionOptions options, ExtractionStats stats) {
        return extract(texts, labels, (sameList, list) -> model.extractEach(sameList, list, options, stats));
    }

    /**
     * Like {@link #extract}, for texts given pre-split into words, as {@link GlinerModel#extractWordsEach} takes
     * them.
     */
    public static List<ExtractionResult> extractWords(GlinerModel model, List<List<String>> words,
                                                      List<List<String>> labels, ExtractionOptions options,
                                                      ExtractionStats stats) {
        return extract(words, sets(labels), (sameList, list) -> model.extractWordsEach(sameList, list, options, stats));
    }

    /** Like {@link #extractWords}, with label sets that may carry descriptions. */
    public static List<ExtractionResult> extractWordSets(GlinerModel model, List<List<String>> words,
                                                         List<LabelSet> labels, ExtractionOptions options,
                                                         ExtractionStats stats) {
        return extract(words, labels, (sameList, list) -> model.extractWordsEach(sameList, list, options, stats));
    }

    private static List<LabelSet> sets(List<List<String>> labels) {
        List<LabelSet> sets = new ArrayList<>(labels.size());
        for (List<String> list : labels) {
            sets.add(list == null ? null : LabelSet.of(list));
        }
        return sets;
    }

    /** One model call: the results of the documents that carry {@code labels}. */
    private interface ListCall<T> {
        List<ExtractionResult> run(List<T> documents, LabelSet labels);
    }

    private static <T> List<ExtractionResult> extract(List<T> documents, List<LabelSet> labels, ListCall<T> call) {
        if (documents.size() != labels.size()) {
            throw new IllegalArgumentException(documents.size() + " texts but " + labels.size() + " label lists");
        }
        Map<LabelSet, List<Integer>> byLabels = new LinkedHashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            byLabels.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        ExtractionResult[] results = new ExtractionResult[documents.size()];
        byLabels.forEach((list, indexes) -> {
            List<T> sameList = new ArrayList<>(indexes.size());
            for (int index : indexes) {
                sameList.add(documents.get(index));
            }
            List<ExtractionResult> found;
            try {
                found = call.run(sameList, list);
            } catch (InvalidLabelsException e) {
                found = new ArrayList<>(indexes.size());
                for (int i = 0; i < indexes.size(); i++) {
                    found.add(ExtractionResult.failure(e));
                }
            }
            for (int i = 0; i < indexes.size(); i++) {
                results[indexes.get(i)] = found.get(i);
            }
        });
        return Arrays.asList(results);
    }
}
