package io.glinerspark.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated English-like documents with names the span test fixture scores (people, places, companies), so that
 * every document has entities of several labels. Document {@code i} is the same text whichever range it is
 * written in, so a clean run over all documents gives the expected result of any subset.
 */
final class GeneratedCorpus {

    private static final String[] NAMES = {"Alice", "Bob", "Carol", "John Smith", "Washington", "Paris", "London",
            "New York", "Google", "Microsoft", "Apple"};
    private static final String[] WORDS = {"the", "report", "said", "that", "met", "in", "and", "visited", "on",
            "monday", "with", "a", "new", "plan", "for", "its", "office", "near", "after", "talks", "about", "sales"};

    private GeneratedCorpus() {
    }

    /** The id of document {@code i}. */
    static String id(int i) {
        return String.format("doc-%05d", i);
    }

    /** The text of document {@code i}: 60 to 120 words, one name in about every eight. */
    static String text(int i) {
        Random random = new Random(7919L * i + 17);
        int length = 60 + random.nextInt(61);
        List<String> words = new ArrayList<>();
        while (words.size() < length) {
            words.add(random.nextInt(8) == 0 ? NAMES[random.nextInt(NAMES.length)] : WORDS[random.nextInt(WORDS.length)]);
        }
        return String.join(" ", words) + ".";
    }

    /** Writes documents {@code from} (inclusive) to {@code to} (exclusive) as JSON lines {@code {"id", "text"}}. */
    static Path write(Path file, int from, int to) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            lines.append("{\"id\": \"").append(id(i)).append("\", \"text\": \"").append(text(i)).append("\"}\n");
        }
        Files.createDirectories(file.getParent());
        // Written under a hidden name and renamed, so a stream never lists a half-written file.
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        Files.writeString(partial, lines, StandardCharsets.UTF_8);
        return Files.move(partial, file);
    }
}
