package io.glinerspark.text;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("core")
class WordSplitterTest {

    /**
     * The regex the splitter replaced: right on short texts, but it recurses per hyphen-joined piece and overflows
     * the stack on long chains. Python's {@code \w} and {@code \s} spelled out with Java classes.
     */
    private static final Pattern ORACLE = Pattern.compile(
            "[\\p{L}\\p{N}_]+(?:[-_][\\p{L}\\p{N}_]+)*|[^\\s\\x1C-\\x1F]", Pattern.UNICODE_CHARACTER_CLASS);

    private static List<Word> oracle(String text) {
        List<Word> words = new ArrayList<>();
        Matcher matcher = ORACLE.matcher(text);
        while (matcher.find()) {
            int start = text.codePointCount(0, matcher.start());
            words.add(new Word(matcher.group(), start, start + text.codePointCount(matcher.start(), matcher.end())));
        }
        return words;
    }

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

    @Test
    void matchesTheRegexOnRandomUnicode() {
        Random random = new Random(11);
        int[] pool = {' ', '\t', '\u00A0', '\u2028', '\u0085', '\u180E', '\u200B', '-', '-', '_', '_', '.', 'a', 'Z',
                '7', '\u0301', '\u00E9', '\u4E2D', 0x1F600, 0x1D400, 0x1D7CE, 0x10140, '\u0915', '\u094D', '\u001C',
                '\u001F', '\u00AD', '\uFEFF', '!', '\n', '\u00B2', '\u2160', '\uD800', '\uDC00'};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(random.nextInt(5) == 0 ? random.nextInt(0x110000) : pool[random.nextInt(pool.length)]);
            }
            String s = text.toString();
            assertEquals(oracle(s), WordSplitter.split(s), s);
        }
    }

    @Test
    void everyCodePointIsClassifiedAsTheRegexDoes() {
        for (int codePoint = 0; codePoint < 0x110000; codePoint++) {
            String c = new String(Character.toChars(codePoint));
            // alone, inside a word, and as the piece after a joiner
            String s = c + " a" + c + "b a-" + c + " a_" + c;
            List<Word> expected = oracle(s);
            List<Word> actual = WordSplitter.split(s);
            if (!expected.equals(actual)) {
                assertEquals(expected, actual, "U+" + Integer.toHexString(codePoint));
            }
        }
    }

    @Test
    void joinersAtTheEdgesAndInPairs() {
        assertEquals(List.of("a", "-"), texts("a-"));
        assertEquals(List.of("a", "-", "-", "b"), texts("a--b"));
        assertEquals(List.of("a_-b"), texts("a_-b"));
        assertEquals(List.of("a-_b"), texts("a-_b"));
        assertEquals(List.of("-", "a"), texts("-a"));
        assertEquals(List.of("__"), texts("__"));
        assertEquals(List.of("_a_"), texts("_a_"));
        assertEquals(List.of("-"), texts("-"));
        assertEquals(List.of("a-b", "-", "-", "c"), texts("a-b--c"));
        for (String s : List.of("a-", "a--b", "a_-b", "-a", "a-_b", "__", "_-_", "-_-", "a- b", "a -b", "a-\u0301b")) {
            assertEquals(oracle(s), WordSplitter.split(s), s);
        }
    }

    @Test
    void astralLettersDigitsAndCombiningMarks() {
        // U+1D400 bold A (letter), U+1D7CE bold 0 (digit), U+10140 Greek acrophonic 1/4 (letter number), U+1F600 (symbol)
        String text = "\uD835\uDC00-\uD835\uDFCE\uD800\uDD40 x\uD83D\uDE00y e\u0301-e";
        assertEquals(List.of(new Word("\uD835\uDC00-\uD835\uDFCE\uD800\uDD40", 0, 4), new Word("x", 5, 6),
                        new Word("\uD83D\uDE00", 6, 7), new Word("y", 7, 8), new Word("e", 9, 10),
                        new Word("\u0301", 10, 11), new Word("-", 11, 12), new Word("e", 12, 13)),
                WordSplitter.split(text));
        assertEquals(oracle(text), WordSplitter.split(text));
        // a lone surrogate is a word of its own, as in the regex
        assertEquals(oracle("a\uD800b \uDC00"), WordSplitter.split("a\uD800b \uDC00"));
    }

    @Test
    void chainsOfAHundredThousandPiecesAreOneWord() {
        String hyphens = "ab-".repeat(100_000) + "c";
        List<Word> words = WordSplitter.split("x " + hyphens + " y");
        assertEquals(3, words.size());
        assertEquals(new Word(hyphens, 2, 2 + hyphens.length()), words.get(1));
        assertEquals(new Word("y", 3 + hyphens.length(), 4 + hyphens.length()), words.get(2));

        String underscores = "a_".repeat(100_000) + "b";
        assertEquals(List.of(new Word(underscores, 0, underscores.length())), WordSplitter.split(underscores));

        String mixed = "\uD835\uDC00-_".repeat(100_000) + "z";
        assertEquals(List.of(new Word(mixed, 0, mixed.codePointCount(0, mixed.length()))), WordSplitter.split(mixed));

        // the reported text: a chain with a trailing joiner
        List<Word> reported = WordSplitter.split("a-".repeat(100_000));
        assertEquals(List.of(new Word("a-".repeat(99_999) + "a", 0, 199_999), new Word("-", 199_999, 200_000)),
                reported);

        // doubled joiners break every link: each piece and each joiner is a word
        List<Word> broken = WordSplitter.split("a--".repeat(100_000));
        assertEquals(300_000, broken.size());
        assertEquals(new Word("-", 299_999, 300_000), broken.get(299_999));
    }
}
