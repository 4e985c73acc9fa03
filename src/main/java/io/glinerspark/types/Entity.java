package io.glinerspark.types;

/**
 * One extracted entity.
 *
 * @param text      the entity's text, {@code text.substring} of the input by code points
 * @param label     the label (as given by the caller) that won this span
 * @param start     start offset in Unicode code points, inclusive
 * @param end       end offset in Unicode code points, exclusive
 * @param score     probability in (threshold, 1]
 * @param startWord index of the first word of the span in the text's word list
 * @param endWord   index of the last word of the span, inclusive
 */
public record Entity(String text, String label, int start, int end, float score, int startWord, int endWord) {
}
