package io.glinerspark.dataset;

import java.util.List;
import java.util.Optional;

/**
 * A sentence of an NER dataset, as words with gold spans.
 *
 * @param dataset        name of the dataset it came from
 * @param words          the words
 * @param spans          gold entities over word indices
 * @param annotatedTypes empty when the sentence was annotated for every type of its dataset; otherwise the
 *                       lower-cased types it was annotated for exhaustively (partial labels, possibly none): only
 *                       those may be asked of it or serve as its negatives, since another type may be present
 *                       but unlabelled
 */
public record LabelledSentence(String dataset, List<String> words, List<GoldSpan> spans,
                               Optional<List<String>> annotatedTypes) {

    public LabelledSentence {
        words = List.copyOf(words);
        spans = List.copyOf(spans);
        annotatedTypes = annotatedTypes.map(List::copyOf);
    }

    /** A sentence annotated for every type of its dataset. */
    public LabelledSentence(String dataset, List<String> words, List<GoldSpan> spans) {
        this(dataset, words, spans, Optional.empty());
    }
}
