package io.glinerspark.encode;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The bundle's {@code tokenizer.json}, used on pre-split words with the tokenizer's own special tokens.
 * Truncation and padding are off: windows are budgeted by the engine so that no word is ever cut silently.
 */
public final class GlinerTokenizer implements AutoCloseable {

    /** What DJL reads, as environment variable or system property, to choose its tokenizer library build. */
    static final String FLAVOR = "RUST_FLAVOR";

    static {
        // On a host with a GPU, DJL otherwise picks a CUDA build of its tokenizer library, which the jar does not
        // carry, and downloads it (a cluster often cannot). The bundled CPU build is the one a tokenizer needs.
        if (System.getenv(FLAVOR) == null && System.getProperty(FLAVOR) == null) {
            System.setProperty(FLAVOR, "cpu");
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int padId;

    private GlinerTokenizer(HuggingFaceTokenizer tokenizer, int padId) {
        this.tokenizer = tokenizer;
        this.padId = padId;
    }

    /** Loads {@code tokenizer.json}; the pad id is {@code [PAD]}/{@code <pad>} when present, else 0. */
    public static GlinerTokenizer load(Path tokenizerJson) {
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "false",
                    "padding", "false"));
            int pad = 0;
            for (String candidate : new String[]{"[PAD]", "<pad>"}) {
                long[] ids = tokenizer.encode(new String[]{candidate}, false, false).getIds();
                if (ids.length == 1) {
                    pad = (int) ids[0];
                    break;
                }
            }
            return new GlinerTokenizer(tokenizer, pad);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson, e);
        }
    }

    /** Encodes pre-split words (the reference's {@code is_split_into_words=True}) with special tokens. */
    public EncodedWords encode(String[] words) {
        Encoding encoding = tokenizer.encode(words, true, false);
        return new EncodedWords(encoding.getIds(), encoding.getWordIds());
    }

    /** The id of a token that must encode to exactly one id, such as {@code <<ENT>>}. */
    public int tokenId(String token) {
        long[] ids = tokenizer.encode(new String[]{token}, false, false).getIds();
        if (ids.length != 1) {
            throw new IllegalArgumentException("token '" + token + "' is not a single token of this tokenizer (got "
                    + ids.length + " sub-tokens)");
        }
        return (int) ids[0];
    }

    /** Id used to pad token rows. */
    public int padId() {
        return padId;
    }

    /** Number of sub-tokens of each word, tokenized as in {@link #encode} (specials excluded). */
    public int[] tokenCounts(List<String> words) {
        int[] counts = new int[words.size()];
        if (words.isEmpty()) {
            return counts;
        }
        long[] wordIds = tokenizer.encode(words.toArray(String[]::new), false, false).getWordIds();
        for (long wordId : wordIds) {
            if (wordId >= 0) {
                counts[(int) wordId]++;
            }
        }
        return counts;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
