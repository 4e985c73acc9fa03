package io.glinerspark.decode;

import io.glinerspark.text.Word;
import io.glinerspark.types.Entity;

import java.util.ArrayList;
import java.util.List;

/** Turns selected word spans into entities with code-point offsets and the covered text. */
public final class EntityAssembler {

    private EntityAssembler() {
    }

    /**
     * @param text     the text the words were split from
     * @param words    the text's words, offsets in code points
     * @param selected spans ordered by start word (as the greedy selection returns them)
     * @param labels   the de-duplicated labels; a span's label index points into it
     */
    public static List<Entity> assemble(String text, List<Word> words, List<SpanCandidate> selected,
                                        List<String> labels) {
        List<Entity> entities = new ArrayList<>(selected.size());
        CodePointCursor cursor = new CodePointCursor(text);
        for (SpanCandidate span : selected) {
            Word first = words.get(span.startWord());
            Word last = words.get(span.endWord());
            String covered = cursor.substring(first.start(), last.end());
            entities.add(new Entity(covered, labels.get(span.labelIndex()), first.start(), last.end(), span.score(),
                    span.startWord(), span.endWord()));
        }
        return entities;
    }

    /**
     * Code-point substrings of one text. Offsets arrive mostly in increasing order, so the cursor walks forward
     * from the last position instead of counting from the text's start each time (long documents).
     */
    private static final class CodePointCursor {
        private final String text;
        private final boolean bmpOnly;
        private int codePoint;
        private int charIndex;

        CodePointCursor(String text) {
            this.text = text;
            this.bmpOnly = text.codePointCount(0, text.length()) == text.length();
        }

        String substring(int startCodePoint, int endCodePoint) {
            if (bmpOnly) {
                return text.substring(startCodePoint, endCodePoint);
            }
            int start = charIndexOf(startCodePoint);
            int end = text.offsetByCodePoints(start, endCodePoint - startCodePoint);
            return text.substring(start, end);
        }

        private int charIndexOf(int target) {
            if (target < codePoint) {
                codePoint = 0;
                charIndex = 0;
            }
            charIndex = text.offsetByCodePoints(charIndex, target - codePoint);
            codePoint = target;
            return charIndex;
        }
    }
}
