package io.glinerspark.dataset;

import java.util.List;

/**
 * A sentence of an NER dataset, as words with gold spans.
 *
 * @param dataset name of the dataset it came from
 * @param words   the words
 * @param spans   gold entities over word indices
 */
public record LabelledSentence(String dataset, List<String> words, List<GoldSpan> spans) {
}
