package io.glinerspark.decode;

/**
 * A span of words that passed its label's threshold, before or after the greedy selection.
 *
 * @param startWord  index of the first word, in the word list the span was decoded against
 * @param endWord    index of the last word, inclusive
 * @param labelIndex position of the label in the de-duplicated label list
 * @param score      float32 probability
 */
public record SpanCandidate(int startWord, int endWord, int labelIndex, float score) {

    /**
     * The same span moved {@code wordOffset} words to the right and {@code labelOffset} labels down the list: a
     * window's candidates placed in its document, a label slice's placed in the whole label list.
     */
    public SpanCandidate placed(int wordOffset, int labelOffset) {
        return new SpanCandidate(startWord + wordOffset, endWord + wordOffset, labelIndex + labelOffset, score);
    }

    boolean sameBoundaries(SpanCandidate other) {
        return startWord == other.startWord && endWord == other.endWord;
    }

    boolean intersects(SpanCandidate other) {
        return startWord <= other.endWord && other.startWord <= endWord;
    }

    boolean nestedWith(SpanCandidate other) {
        return (startWord <= other.startWord && endWord >= other.endWord)
                || (other.startWord <= startWord && other.endWord >= endWord);
    }
}
