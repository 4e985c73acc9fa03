package io.glinerspark.dataset;

/**
 * A labelled span of a sentence.
 *
 * @param start first word, inclusive
 * @param end   last word, inclusive
 * @param type  the entity type, lower-cased
 */
public record GoldSpan(int start, int end, String type) {
}
