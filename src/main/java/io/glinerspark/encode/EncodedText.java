package io.glinerspark.encode;

/**
 * One text with its label prompt, ready to be padded into a batch.
 *
 * @param inputIds  sub-token ids: specials, prompt ({@code <<ENT>> label ... <<SEP>>}) and text words
 * @param wordsMask i+1 at the first sub-token of text word i, 0 elsewhere
 * @param numWords  number of text words (words without sub-tokens included)
 */
public record EncodedText(long[] inputIds, long[] wordsMask, int numWords) {

    /** Sequence length in sub-tokens. */
    public int length() {
        return inputIds.length;
    }
}
