package io.glinerspark.dataset;

/**
 * A labelled span of a sentence.
 *
 * @param start first word, inclusive; -1 when the entity starts inside a word and was read with
 *              {@link GlinerJsonReader.PartialWords#UNMATCHABLE}
 * @param end   last word, inclusive; -1 likewise when it ends inside a word
 * @param type  the entity type, lower-cased
 */
public record GoldSpan(int start, int end, String type) {
}
