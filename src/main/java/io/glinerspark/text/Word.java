package io.glinerspark.text;

/**
 * One word of a text.
 *
 * @param text  the word as it appears in the text
 * @param start start offset in Unicode code points, inclusive
 * @param end   end offset in Unicode code points, exclusive
 */
public record Word(String text, int start, int end) {
}
