package io.glinerspark.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads CoNLL-style column files: one token per line, the tag in the last column, blank lines between sentences,
 * {@code -DOCSTART-} lines skipped. IOB1, IOB2 and BIOES tags are all decoded by one rule set: a span starts at
 * B-/S-, or at I-/E- that does not continue a span of the same type, and ends after E-/S-.
 */
public final class ConllReader {

    private ConllReader() {
    }

    /**
     * Reads {@code file}. The token is the first column, or the second when the first is a running number
     * (WikiANN's {@code idx TAB token TAB tag}). {@code typeNames} renames tag types (e.g. PER to person); types
     * not in it are lower-cased.
     */
    public static List<LabelledSentence> read(Path file, String dataset, Map<String, String> typeNames) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<LabelledSentence> sentences = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.startsWith("-DOCSTART-")) {
                flush(sentences, dataset, rows, typeNames);
                continue;
            }
            // Tab-separated files may carry a blank token (e.g. a lone space), so tabs win over runs of spaces.
            String[] columns = line.indexOf('\t') >= 0 ? line.split("\t") : line.strip().split("\\s+");
            if (columns.length < 2) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": expected a token and a tag, got '" + line + "'");
            }
            rows.add(columns);
        }
        flush(sentences, dataset, rows, typeNames);
        return sentences;
    }

    private static void flush(List<LabelledSentence> out, String dataset, List<String[]> rows,
                              Map<String, String> typeNames) {
        if (rows.isEmpty()) {
            return;
        }
        int tokenColumn = runningIndex(rows) ? 1 : 0;
        List<String> words = new ArrayList<>(rows.size());
        List<String> tags = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            words.add(row[tokenColumn]);
            tags.add(row[row.length - 1].strip());
        }
        out.add(new LabelledSentence(dataset, words, decode(tags, typeNames)));
        rows.clear();
    }

    /**
     * True when a three-column sentence numbers its lines in the first column (WikiANN's {@code idx TAB token TAB tag}); a numeric
     * token in the first column of a CoNLL-2003 line does not count up like that.
     */
    private static boolean runningIndex(List<String[]> rows) {
        String first = rows.get(0)[0].strip();
        if (rows.get(0).length != 3 || !first.matches("\\d{1,9}")) {
            return false;
        }
        int base = Integer.parseInt(first);
        if (base > 1) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            if (row.length != 3 || !row[0].strip().equals(Integer.toString(base + i))) {
                return false;
            }
        }
        return true;
    }

    /** Decodes one sentence's tags into spans. */
    static List<GoldSpan> decode(List<String> tags, Map<String, String> typeNames) {
        List<GoldSpan> spans = new ArrayList<>();
        int start = -1;
        String type = null;
        for (int i = 0; i <= tags.size(); i++) {
            String tag = i < tags.size() ? tags.get(i) : "O";
            char prefix = tag.length() > 1 && tag.charAt(1) == '-' ? Character.toUpperCase(tag.charAt(0)) : 'O';
            String tagType = prefix == 'O' ? null : tag.substring(2);
            boolean continues = type != null && type.equals(tagType) && (prefix == 'I' || prefix == 'E');
            if (type != null && !continues) {
                spans.add(span(start, i - 1, type, typeNames));
                type = null;
            }
            if (tagType != null && !continues) {
                start = i;
                type = tagType;
            }
            if (type != null && (prefix == 'E' || prefix == 'S')) {
                spans.add(span(start, i, type, typeNames));
                type = null;
            }
        }
        return spans;
    }

    private static GoldSpan span(int start, int end, String type, Map<String, String> typeNames) {
        String name = typeNames.getOrDefault(type, type).toLowerCase(Locale.ROOT);
        return new GoldSpan(start, end, name);
    }
}
