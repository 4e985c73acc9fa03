package io.glinerspark.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words exactly as the reference's whitespace splitter, the Python regex
 * {@code \w+(?:[-_]\w+)*|\S}, with offsets in code points.
 *
 * <p>A hand-written scanner rather than a regex: Java's regex engine recurses once per repetition of
 * {@code (?:[-_]\w+)*}, so a long hyphen-joined chain (a URL slug, base64url data) overflows the stack. The scanner
 * reads each code point once and needs no stack, whatever the text.
 *
 * <p>Characters are classed by the JVM's Unicode tables, Python's by its own: JDK 17 has Unicode 13, Python 3.11
 * Unicode 14, 3.12 Unicode 15. A character added by the newer standard (525 letters and digits of Unicode 14, none
 * in common use) is a word character in one and a word of its own in the other; no table is copied here, since the
 * Python that trained or runs a model may have either version. Every character assigned in both is classed alike,
 * as WordSplitterParityTest checks against Python itself; so the many words the regex takes apart (Indic, Thai,
 * Arabic or Hebrew words at their vowel signs, decomposed accents) fall apart here at the same places.
 */
public final class WordSplitter {

    private WordSplitter() {
    }

    /** The words of {@code text}; an empty list for null or blank text. */
    public static List<Word> split(String text) {
        List<Word> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        int length = text.length();
        int at = 0;
        int codePointAt = 0;
        while (at < length) {
            int codePoint = text.codePointAt(at);
            int next = at + Character.charCount(codePoint);
            if (isWordChar(codePoint)) {
                int end = endOfRun(text, next);
                // '_' is itself a word character, so a run already swallowed it: only '-' can join two runs.
                while (end < length && text.charAt(end) == '-' && end + 1 < length
                        && isWordChar(text.codePointAt(end + 1))) {
                    end = endOfRun(text, end + 1);
                }
                int codePoints = text.codePointCount(at, end);
                words.add(new Word(text.substring(at, end), codePointAt, codePointAt + codePoints));
                codePointAt += codePoints;
                at = end;
            } else {
                if (!isSeparator(codePoint)) {
                    words.add(new Word(text.substring(at, next), codePointAt, codePointAt + 1));
                }
                codePointAt++;
                at = next;
            }
        }
        return words;
    }

    /** The char index after the word characters that start at {@code from}. */
    private static int endOfRun(String text, int from) {
        int at = from;
        while (at < text.length()) {
            int codePoint = text.codePointAt(at);
            if (!isWordChar(codePoint)) {
                break;
            }
            at += Character.charCount(codePoint);
        }
        return at;
    }

    /**
     * Python's {@code \w} on str: letters, digits and other numbers, and the underscore, but not combining marks
     * (Java's {@code \w} under UNICODE_CHARACTER_CLASS would include them).
     */
    private static boolean isWordChar(int codePoint) {
        if (codePoint == '_') {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /**
     * What Python's {@code \S} does not match: Unicode White_Space (as Java's {@code \s} under
     * UNICODE_CHARACTER_CLASS) and, as Python's {@code str.isspace}, the information separators U+001C..U+001F.
     */
    private static boolean isSeparator(int codePoint) {
        if ((codePoint >= 0x09 && codePoint <= 0x0D) || (codePoint >= 0x1C && codePoint <= 0x1F) || codePoint == 0x85) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
