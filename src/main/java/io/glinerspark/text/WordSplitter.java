package io.glinerspark.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into words exactly as the reference's whitespace splitter, the Python regex
 * {@code \w+(?:[-_]\w+)*|\S}, with offsets in code points.
 */
public final class WordSplitter {

    /*
     * Python's \w is letters, digits and underscore without combining marks; its \s also covers U+001C..U+001F.
     * Java's \w differs either way (ASCII-only, or with combining marks under UNICODE_CHARACTER_CLASS), hence the
     * explicit classes.
     */
    private static final Pattern WORD = Pattern.compile(
            "[\\p{L}\\p{N}_]+(?:[-_][\\p{L}\\p{N}_]+)*|[^\\s\\x1C-\\x1F]", Pattern.UNICODE_CHARACTER_CLASS);

    private WordSplitter() {
    }

    /** The words of {@code text}; an empty list for null or blank text. */
    public static List<Word> split(String text) {
        List<Word> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        Matcher matcher = WORD.matcher(text);
        // Matcher offsets count UTF-16 units; code points are counted incrementally so long texts stay linear.
        int charPos = 0;
        int codePointPos = 0;
        while (matcher.find()) {
            codePointPos += text.codePointCount(charPos, matcher.start());
            int start = codePointPos;
            codePointPos += text.codePointCount(matcher.start(), matcher.end());
            charPos = matcher.end();
            words.add(new Word(matcher.group(), start, codePointPos));
        }
        return words;
    }
}
