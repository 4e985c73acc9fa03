package io.glinerspark.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the GLiNER evaluation JSON layout: a list of {@code {"sentence", "entities": [{"name", "type", "pos"}]}}.
 * As in the reference evaluation, the sentence is split on whitespace and character offsets are mapped to words.
 * A sentence may carry {@code "types": [...]}, the types it was annotated for exhaustively (partial labels, see
 * {@link LabelledSentence#annotatedTypes()}); each of its entities must then have one of those types.
 */
public final class GlinerJsonReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What becomes of an entity whose character offsets cut through a word ("Australia" in "Australian"). */
    public enum PartialWords {
        /** The span widens to the whole words it touches. */
        WIDEN,
        /**
         * As the reference evaluation: a boundary that is not a word boundary becomes word index -1, so the span
         * still counts as gold but no prediction can equal it.
         */
        UNMATCHABLE
    }

    private GlinerJsonReader() {
    }

    /** Reads {@code file}, widening partial-word entities; see {@link #read(Path, String, PartialWords)}. */
    public static List<LabelledSentence> read(Path file, String dataset) {
        return read(file, dataset, PartialWords.WIDEN);
    }

    /** Reads {@code file}; an entity whose offsets fall outside the sentence fails with the file and index. */
    public static List<LabelledSentence> read(Path file, String dataset, PartialWords partialWords) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON list of sentences");
        }
        List<LabelledSentence> sentences = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            sentences.add(sentence(root.get(i), dataset, file, i, partialWords));
        }
        return sentences;
    }

    /** The entity types of a dataset folder's {@code labels.json}, lower-cased, in file order. */
    public static List<String> readLabels(Path labelsJson) {
        try {
            List<String> labels = new ArrayList<>();
            for (JsonNode label : JSON.readTree(labelsJson.toFile())) {
                labels.add(label.asText().toLowerCase(Locale.ROOT));
            }
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + labelsJson, e);
        }
    }

    private static LabelledSentence sentence(JsonNode node, String dataset, Path file, int index,
                                             PartialWords partialWords) {
        String text = node.path("sentence").asText();
        List<String> words = new ArrayList<>();
        // Word spans in code points: the datasets' "pos" offsets are Python string indices, which count code points.
        List<int[]> charSpans = new ArrayList<>();
        int i = 0;
        int codePoint = 0;
        while (i < text.length()) {
            int spaceStart = i;
            while (i < text.length() && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !isSpace(text.charAt(i))) {
                i++;
            }
            codePoint += text.codePointCount(spaceStart, start);
            if (i > start) {
                int startCodePoint = codePoint;
                codePoint += text.codePointCount(start, i);
                words.add(text.substring(start, i));
                charSpans.add(new int[]{startCodePoint, codePoint});
            }
        }
        int length = codePoint;
        List<GoldSpan> spans = new ArrayList<>();
        for (JsonNode entity : node.path("entities")) {
            int start = entity.path("pos").path(0).asInt(-1);
            int end = entity.path("pos").path(1).asInt(-1);
            String type = entity.path("type").asText().toLowerCase(Locale.ROOT);
            if (partialWords == PartialWords.UNMATCHABLE && start >= 0 && end > start && end <= length) {
                spans.add(new GoldSpan(wordStartingAt(charSpans, start), wordEndingAt(charSpans, end), type));
                continue;
            }
            int startWord = wordAt(charSpans, start);
            int endWord = wordAt(charSpans, end - 1);
            if (startWord < 0 || endWord < startWord) {
                throw new IllegalArgumentException(file + ": sentence " + index + ": entity " + entity
                        + " does not cover whole words of the sentence");
            }
            spans.add(new GoldSpan(startWord, endWord, type));
        }
        Optional<List<String>> annotatedTypes = annotatedTypes(node, file, index);
        annotatedTypes.ifPresent(types -> {
            for (GoldSpan span : spans) {
                if (!types.contains(span.type())) {
                    throw new IllegalArgumentException(file + ": sentence " + index + ": entity type '" + span.type()
                            + "' is not among the sentence's \"types\" " + types);
                }
            }
        });
        return new LabelledSentence(dataset, words, spans, annotatedTypes);
    }

    /** The sentence's {@code "types"} list, lower-cased and distinct; empty when the field is absent. */
    private static Optional<List<String>> annotatedTypes(JsonNode node, Path file, int index) {
        JsonNode types = node.get("types");
        if (types == null) {
            return Optional.empty();
        }
        if (!types.isArray()) {
            throw new IllegalArgumentException(file + ": sentence " + index + ": \"types\" must be a list of type "
                    + "names, got " + types);
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (JsonNode type : types) {
            if (!type.isTextual() || type.asText().isBlank()) {
                throw new IllegalArgumentException(file + ": sentence " + index + ": \"types\" holds " + type
                        + ", not a type name");
            }
            distinct.add(type.asText().toLowerCase(Locale.ROOT));
        }
        return Optional.of(List.copyOf(distinct));
    }

    /** Python's {@code str.split()} whitespace, which also counts no-break spaces. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static int wordStartingAt(List<int[]> charSpans, int charIndex) {
        for (int w = 0; w < charSpans.size(); w++) {
            if (charSpans.get(w)[0] == charIndex) {
                return w;
            }
        }
        return -1;
    }

    private static int wordEndingAt(List<int[]> charSpans, int charIndex) {
        for (int w = 0; w < charSpans.size(); w++) {
            if (charSpans.get(w)[1] == charIndex) {
                return w;
            }
        }
        return -1;
    }

    private static int wordAt(List<int[]> charSpans, int charIndex) {
        for (int w = 0; w < charSpans.size(); w++) {
            if (charIndex >= charSpans.get(w)[0] && charIndex < charSpans.get(w)[1]) {
                return w;
            }
        }
        return -1;
    }
}
