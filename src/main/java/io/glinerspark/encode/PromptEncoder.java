package io.glinerspark.encode;

import io.glinerspark.types.InvalidLabelsException;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the GLiNER prompt {@code [<<ENT>>, label_1, ..., <<ENT>>, label_C, <<SEP>>] + words} and tokenizes it as
 * pre-split words. The same encoder prepares training examples, so training and inference agree on every id.
 *
 * <p>The graph finds label slots by the id of {@code <<ENT>>}, so labels are plain text: a label that spells one of
 * the tokenizer's added tokens (the prompt markers, {@code [CLS]}, {@code <s>} ...) is refused, and every encoded
 * sequence holds exactly one {@code <<ENT>>} per label, so the graph's class count always equals the label count.
 */
public final class PromptEncoder {

    private final GlinerTokenizer tokenizer;
    /** Null for a bi-encoder's texts, which carry no label prompt. */
    private final String entToken;
    private final String sepToken;
    private final long entId;

    public PromptEncoder(GlinerTokenizer tokenizer, String entToken, String sepToken) {
        this.tokenizer = tokenizer;
        this.entToken = entToken;
        this.sepToken = sepToken;
        // Fail now, naming the marker, rather than with a shifted prompt at the first text.
        this.entId = tokenizer.tokenId(entToken);
        tokenizer.tokenId(sepToken);
    }

    private PromptEncoder(GlinerTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.entToken = null;
        this.sepToken = null;
        this.entId = -1;
    }

    /**
     * The encoder of a bi-encoder's texts: the words alone between the tokenizer's specials, as the reference
     * tokenizes them for a model whose labels are embedded apart; labels are ignored.
     */
    public static PromptEncoder wordsOnly(GlinerTokenizer tokenizer) {
        return new PromptEncoder(tokenizer);
    }

    /**
     * Encodes one text's words after the prompt of {@code labels} (already de-duplicated, in class order).
     *
     * @throws InvalidLabelsException   when a label is empty or yields no sub-token (it would shift the prompt), or
     *                                  contains one of the tokenizer's added tokens (a marker or special token)
     * @throws IllegalArgumentException when a text word is read as {@code <<ENT>>}, which would add a label slot
     */
    public EncodedText encode(List<String> labels, List<String> words) {
        return encode(labels, labels, words);
    }

    /**
     * Like {@link #encode(List, List)} for labels prompted as other text (their descriptions): {@code prompts} go into
     * the prompt, and a rejection names the label of {@code names} at the same index as well as its prompt.
     */
    public EncodedText encode(List<String> prompts, List<String> names, List<String> words) {
        if (prompts.size() != names.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts for " + names.size() + " labels");
        }
        if (entToken == null) {
            return encodeWords(words);
        }
        List<String> labels = prompts;
        for (int c = 0; c < labels.size(); c++) {
            String token = tokenizer.addedTokenIn(labels.get(c));
            if (token != null) {
                throw new InvalidLabelsException(named(names, labels, c) + " contains '" + token + "', a special "
                        + "token of the model's tokenizer; labels are plain text and must not spell its markers or "
                        + "special tokens");
            }
        }
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
        int entMarkers = 0;
        for (int i = 0; i < ids.length; i++) {
            long wordId = wordIds[i];
            if (ids[i] == entId) {
                entMarkers++;
            }
            if (wordId >= 0 && wordId < promptWords) {
                promptWordSeen[(int) wordId] = true;
                // A label that normalizes into a marker (no literal match above) still must not reach the graph.
                if (wordId % 2 == 1 && tokenizer.isMarkerId(ids[i])) {
                    throw new InvalidLabelsException(named(names, labels, (int) wordId / 2) + " is read by the "
                            + "model's tokenizer as its special token " + ids[i] + "; labels are plain text and must "
                            + "not spell its markers or special tokens");
                }
            } else if (wordId >= promptWords && wordId != previousWordId) {
                // First sub-token of a text word. Computed from the word id (not a running count) so that a word
                // the normalizer erases entirely keeps every later word in its own slot.
                wordsMask[i] = wordId - promptWords + 1;
            }
            previousWordId = wordId;
        }
        for (int w = 1; w < promptWords; w += 2) {
            if (!promptWordSeen[w]) {
                throw new InvalidLabelsException(named(names, labels, w / 2) + " yields no sub-token; labels must "
                        + "contain visible text");
            }
        }
        if (entMarkers != labels.size()) {
            // Labels were checked above, so the extra slot comes from the words: that text cannot be extracted.
            throw new IllegalArgumentException("the text holds a word the model's tokenizer reads as the label marker '"
                    + entToken + "': its prompt would have " + entMarkers + " label slots for " + labels.size()
                    + " labels");
        }
        return new EncodedText(ids, wordsMask, words.size());
    }

    private EncodedText encodeWords(List<String> words) {
        EncodedWords encoded = tokenizer.encode(words.toArray(String[]::new));
        long[] wordIds = encoded.wordIds();
        long[] wordsMask = new long[wordIds.length];
        long previousWordId = -1;
        for (int i = 0; i < wordIds.length; i++) {
            long wordId = wordIds[i];
            if (wordId >= 0 && wordId != previousWordId) {
                wordsMask[i] = wordId + 1;
            }
            previousWordId = wordId;
        }
        return new EncodedText(encoded.ids(), wordsMask, words.size());
    }

    /** The label at {@code index} for a message, with its description when the prompt carries one. */
    private static String named(List<String> names, List<String> prompts, int index) {
        return InvalidLabelsException.labelNamed(names.get(index), prompts.get(index));
    }

    /** Sub-tokens of the specials and the prompt of {@code labels}, i.e. the cost of a text with no words. */
    public int promptLength(List<String> labels) {
        return encode(labels, List.of()).length();
    }

    /** {@link #promptLength(List)} of {@code prompts}; a rejection names the labels of {@code names}. */
    public int promptLength(List<String> prompts, List<String> names) {
        return encode(prompts, names, List.of()).length();
    }

    /** The tokenizer this encoder uses. */
    public GlinerTokenizer tokenizer() {
        return tokenizer;
    }
}
