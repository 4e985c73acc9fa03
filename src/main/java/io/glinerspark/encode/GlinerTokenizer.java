package io.glinerspark.encode;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bundle's {@code tokenizer.json}, used on pre-split words with the tokenizer's own special tokens.
 * Truncation and padding are off: windows are budgeted by the engine so that no word is ever cut silently.
 * The tokens the file declares as added ({@code added_tokens}: the specials such as {@code [CLS]} or {@code <s>} and
 * the prompt markers) are known by text and id, so that a caller can tell ordinary text from a marker.
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final int padId;
    private final List<String> addedTokens;
    private final Set<Long> markerIds;

    private GlinerTokenizer(HuggingFaceTokenizer tokenizer, int padId, List<String> addedTokens, Set<Long> markerIds) {
        this.tokenizer = tokenizer;
        this.padId = padId;
        this.addedTokens = addedTokens;
        this.markerIds = markerIds;
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
            JsonNode file = JSON.readTree(tokenizerJson.toFile());
            List<String> added = new ArrayList<>();
            Set<Long> markers = new HashSet<>();
            for (JsonNode token : file.path("added_tokens")) {
                // Some backbones add runs of whitespace as tokens: those are text, never a marker.
                if (token.path("content").isTextual() && !token.path("content").asText().isBlank()) {
                    added.add(token.path("content").asText());
                    markers.add(token.path("id").asLong());
                }
            }
            // Ordinary text the vocabulary cannot spell (an emoji for an English vocabulary) becomes the unknown
            // token, which is an added token too: that id alone is not a marker.
            markers.remove(unknownId(tokenizer, file.path("model")));
            return new GlinerTokenizer(tokenizer, pad, List.copyOf(added), Set.copyOf(markers));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson, e);
        }
    }

    /** The unknown token's id as the tokenizer model declares it ({@code unk_id} or {@code unk_token}), else -1. */
    private static long unknownId(HuggingFaceTokenizer tokenizer, JsonNode model) {
        if (model.path("unk_id").isIntegralNumber()) {
            return model.path("unk_id").asLong();
        }
        if (model.path("unk_token").isTextual()) {
            long[] ids = tokenizer.encode(new String[]{model.path("unk_token").asText()}, false, false).getIds();
            return ids.length == 1 ? ids[0] : -1;
        }
        return -1;
    }

    /** Encodes pre-split words (the reference's {@code is_split_into_words=True}) with special tokens. */
    public EncodedWords encode(String[] words) {
        Encoding encoding = tokenizer.encode(words, true, false);
        return new EncodedWords(encoding.getIds(), encoding.getWordIds());
    }

    /**
     * Encodes one whole text (not pre-split) with special tokens, as a bi-encoder's labels are: the sub-token ids,
     * specials included.
     */
    public long[] encodeText(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    /** Number of special tokens {@link #encodeText} adds around a text. */
    public int specialTokenCount() {
        return tokenizer.encode("", true, false).getIds().length;
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

    /**
     * The first token declared in {@code added_tokens} (specials and prompt markers) that {@code text} contains
     * literally, or null.
     */
    public String addedTokenIn(String text) {
        for (String token : addedTokens) {
            if (text.contains(token)) {
                return token;
            }
        }
        return null;
    }

    /**
     * Whether {@code id} is one of the added tokens, other than the unknown token: an id that text yields only where
     * it spells a special or marker (after the tokenizer's normalization), never as ordinary text.
     */
    public boolean isMarkerId(long id) {
        return markerIds.contains(id);
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
