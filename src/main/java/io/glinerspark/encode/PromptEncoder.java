package io.glinerspark.encode;

import io.glinerspark.types.InvalidLabelsException;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the GLiNER prompt {@code [<<ENT>>, label_1, ..., <<ENT>>, label_C, <<SEP>>] + words} and tokenizes it as
 * pre-split words. The same encoder prepares training examples, so training and inference agree on every id.
 */
public final class PromptEncoder {

    private final GlinerTokenizer tokenizer;
    private final String entToken;
    private final String sepToken;

    public PromptEncoder(GlinerTokenizer tokenizer, String entToken, String sepToken) {
        this.tokenizer = tokenizer;
        this.entToken = entToken;
        this.sepToken = sepToken;
        // Fail now, naming the marker, rather than with a shifted prompt at the first text.
        tokenizer.tokenId(entToken);
        tokenizer.tokenId(sepToken);
    }

    /**
     * Encodes one text's words after the prompt of {@code labels} (already de-duplicated, in class order).
     *
     * @throws InvalidLabelsException when a label is empty or yields no sub-token (it would shift the prompt)
     */
    public EncodedText encode(List<String> labels, List<String> words) {
        List<String> prompt = new ArrayList<>(2 * labels.size() + 1 + words.size());
        for (String label : labels) {
            prompt.add(entToken);
            prompt.add(label);
        }
        prompt.add(sepToken);
        int promptWords = prompt.size();
        prompt.addAll(words);

        EncodedWords encoded = tokenizer.encode(prompt.toArray(String[]::new));
        long[] ids = encoded.ids();
        long[] wordIds = encoded.wordIds();
        long[] wordsMask = new long[ids.length];
        boolean[] promptWordSeen = new boolean[promptWords];
        long previousWordId = -1;
        for (int i = 0; i < ids.length; i++) {
            long wordId = wordIds[i];
            if (wordId >= 0 && wordId < promptWords) {
                promptWordSeen[(int) wordId] = true;
            } else if (wordId >= promptWords && wordId != previousWordId) {
                // First sub-token of a text word. Computed from the word id (not a running count) so that a word
                // the normalizer erases entirely keeps every later word in its own slot.
                wordsMask[i] = wordId - promptWords + 1;
            }
            previousWordId = wordId;
        }
        for (int w = 1; w < promptWords; w += 2) {
            if (!promptWordSeen[w]) {
                throw new InvalidLabelsException("label '" + prompt.get(w) + "' yields no sub-token; labels must "
                        + "contain visible text");
            }
        }
        return new EncodedText(ids, wordsMask, words.size());
    }

    /** Sub-tokens of the specials and the prompt of {@code labels}, i.e. the cost of a text with no words. */
    public int promptLength(List<String> labels) {
        return encode(labels, List.of()).length();
    }

    /** The tokenizer this encoder uses. */
    public GlinerTokenizer tokenizer() {
        return tokenizer;
    }
}
