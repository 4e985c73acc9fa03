package io.glinerspark.eval;

import io.glinerspark.dataset.LabelledSentence;

import java.util.List;

/**
 * One dataset to score: its sentences, the labels given to the model as prompts, and how spans are decoded.
 *
 * @param name      the dataset's name (its folder or file name)
 * @param labels    every prompt, lower-cased and distinct, in order
 * @param nested    true: decode with nested spans allowed; false: flat decoding
 * @param sentences the sentences with their gold spans
 */
public record EvaluationDataset(String name, List<String> labels, boolean nested, List<LabelledSentence> sentences) {

    /** Name parts that make the reference evaluation decode a dataset with nested spans. */
    private static final List<String> NESTED_NAME_PARTS = List.of("ACE", "GENIA", "Corpus");

    public EvaluationDataset {
        labels = List.copyOf(labels);
        sentences = List.copyOf(sentences);
    }

    /**
     * The reference evaluation's rule: nested decoding when the dataset's name contains {@code ACE}, {@code GENIA}
     * or {@code Corpus}. Its test is a case-sensitive substring test ({@code "Corpus" in name}), so "corpus" and
     * "ace" stay flat.
     */
    public static boolean nestedByName(String name) {
        return NESTED_NAME_PARTS.stream().anyMatch(name::contains);
    }
}
