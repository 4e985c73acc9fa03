package io.glinerspark.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordSplitterTest {

    private static List<String> texts(String text) {
        return WordSplitter.split(text).stream().map(Word::text).toList();
    }

    @Test
    void splitsLikePythonRegex() {
        assertEquals(List.of("My", "name", "is", "James", "Bond", "."), texts("My name is James Bond."));
        assertEquals(List.of("state-of-the-art", "snake_case", "x", "-", "y"), texts("state-of-the-art snake_case x - y"));
        assertEquals(List.of("U", ".", "S", ".", "A", "."), texts("U.S.A."));
        assertEquals(List.of("3", ",", "000", "$", "5"), texts("3,000 $5"));
    }

    @Test
    void combiningMarksAreSeparateWordsAsInPython() {
        // NFD "é" = e + U+0301: Python's \w excludes the combining mark, so it becomes a word of its own (\S).
        assertEquals(List.of("Cafe", "\u0301", "ok"), texts("Cafe\u0301 ok"));
    }

    @Test
    void pythonWhitespaceClassesIncludingInformationSeparators() {
        assertEquals(List.of("a", "b", "c", "d"), texts("a\u00A0b\u2003c\u001Cd"));
        assertEquals(List.of(), texts(" \t\n\u001F "));
    }

    @Test
    void offsetsAreCodePoints() {
        List<Word> words = WordSplitter.split("\uD83D\uDE00 Bob \uD835\uDC00x");
        assertEquals(new Word("\uD83D\uDE00", 0, 1), words.get(0));
        assertEquals(new Word("Bob", 2, 5), words.get(1));
        assertEquals(new Word("\uD835\uDC00x", 6, 8), words.get(2)); // mathematical bold A is a letter outside the BMP
    }

    @Test
    void superscriptsFractionsAndScripts() {
        // Python's \w excludes Devanagari vowel signs and virama (marks), so the word falls apart as in Python.
        assertEquals(List.of("x²", "½", "東京", "ह", "ि", "न", "्", "द", "ी"), texts("x² ½ 東京 हिन्दी"));
    }

    @Test
    void everyWordsOffsetsCutExactlyThatWordOnRandomUnicode() {
        Random random = new Random(7);
        int[] pool = {' ', '\t', '\u00A0', '-', '_', '.', 'a', 'Z', '7', '\u0301', '\u00E9', '\u4E2D', 0x1F600, 0x1D400,
                '\u0915', '\u094D', '\u001C', '\u200B', '\u00AD', '\uFEFF', '!', '\n'};
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x30000) : pool[random.nextInt(pool.length)]);
            }
            String s = text.toString();
            int[] codePoints = s.codePoints().toArray();
            int previousEnd = 0;
            for (Word word : WordSplitter.split(s)) {
                assertEquals(word.text(), new String(codePoints, word.start(), word.end() - word.start()), s);
                assertTrue(word.start() >= previousEnd, "words are ordered and disjoint");
                previousEnd = word.end();
            }
        }
    }
}
