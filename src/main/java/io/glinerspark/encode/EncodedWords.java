package io.glinerspark.encode;

/**
 * Sub-tokens of a pre-split word sequence, specials included.
 *
 * @param ids     sub-token ids
 * @param wordIds for each sub-token, the index of the word it came from, or -1 for the tokenizer's special tokens
 */
public record EncodedWords(long[] ids, long[] wordIds) {
}
