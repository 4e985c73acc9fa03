package io.glinerspark.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glinerspark.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link WordSplitter} against Python itself, not a Java rendering of its regex: the reference library's own
 * WhitespaceTokenSplitter (the reference venv) on hard strings of the scripts multilingual GLiNER models meet, and
 * Python's {@code re} with the same regex (training/reference_word_splits.py under the system python3) on those,
 * on random mixes of tricky characters, on the German, French and Spanish sentences of the shared corpus and on
 * every code point. Offsets are compared in code points, the unit of Python's str and of {@link Word}.
 */
@Tag("tools")
class WordSplitterParityTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath();
    private static final Path SCRIPT = ROOT.resolve("training/reference_word_splits.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Texts where a scanner could part from Python's regex: marks inside words, scripts without spaces, odd spaces. */
    private static final List<String> HARD = List.of(
            // Devanagari: vowel signs (Mc, Mn) and virama (Mn) are not \w, so words fall apart at them
            "नमस्ते दुनिया, मैं दिल्ली में रहता हूँ। श्री नरेन्द्र मोदी ने २०२४ में कहा।",
            "தமிழ்நாடு அரசு சென்னையில் உள்ளது", "বাংলাদেশের রাজধানী ঢাকা", "ਪੰਜਾਬ ਦੀ ਰਾਜਧਾਨੀ",
            // Thai and Lao: no spaces between words, above/below vowels are marks
            "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ กรุงเทพมหานคร ๒๕๖๗", "ພາສາລາວ ວຽງຈັນ",
            // Arabic and Persian: harakat (Mn), tatweel (Lm), Arabic-Indic digits, ZWNJ inside a word
            "ذَهَبَ مُحَمَّدٌ إِلَى القاهرة في ١٢ مايو ٢٠٢٤، وقال: «مرحبًا»", "كـــتـــاب",
            "می‌خواهم به تهران بروم ۱۴۰۳", "שָׁלוֹם עוֹלָם, ירושלים",
            // Chinese and Japanese without spaces; the prolonged sound mark is a modifier letter
            "北京大学的学生在上海工作。習近平主席訪問了東京。", "東京都に住んでいる田中さんは、ソニーで働いています。ラーメン",
            "ｶﾀｶﾅ ＡＢＣ１２３ 全角スペース", "𠀀𠀁𪚥 𝐀𝐁𝐂 𝟙𝟚𝟛 𐍈𐌰",
            // Korean, precomposed and as conjoining jamo (NFD)
            "서울특별시에 사는 김철수 씨는 삼성전자에서 일한다.", "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165",
            // emoji: variation selectors (Mn), skin tones (Sk), ZWJ sequences, flags, keycaps
            "I ❤️ Zürich 👍🏽 👨‍👩‍👧‍👦 🇩🇪 1️⃣ #️⃣ a\u200db a\u200cb", "🏳️‍🌈x🧑🏿‍🚀y",
            // decomposed accents (NFD) beside precomposed ones
            "Cafe\u0301 Zu\u0308rich Mu\u0308ller-Lu\u0308denscheid Ni\u00f1o Nin\u0303o Vie\u0323\u0302t Nam",
            "A\u030a\u030angstro\u0308m e\u0301-e\u0301 _\u0301_ -\u0301-",
            // digits and numbers of other scripts, fractions, superscripts, roman and circled numbers
            "١٢٣ ۴۵۶ १२३ ๑๒๓ ፩፪፫ ½ ¾ x² H₂O Ⅻ ⅻ ① ⑴ 〇 〡 𝟎 ᛮ ↉",
            // whitespace and invisible characters: only Unicode White_Space (and U+001C..U+001F) separate
            "a\u00a0b\u2028c\u2029d\u3000e\u0085f\u001cg\u001fh\u200bi\u180ej\u2060k\ufeffl\u202fm\u205fn\u1680o",
            "\u00ad soft\u00adhyphen \u2010 non\u2011breaking en\u2013dash em\u2014dash minus\u2212sign",
            "\t\n\u000b\u000c\r\u00a0 \u3000",
            // joiners: only ASCII '-' and '_' join word runs
            "Jean-Pierre l'Étoile Baden-Württemberg São_Paulo a--b a-_b _x_ -a- a_-b x-\u0301 -- __ ‐",
            "Dvořák Łódź Ærøskøbing İstanbul ǅemal ß ẞ ﬁnance ŉ Ǆ ǈ",
            // Greek, Cyrillic, Armenian, Georgian, Ethiopic, Mongolian with its free variation selector
            "Αθήνα Ἀθῆναι Москва Йо́шкар-Ола Երևան თბილისი አዲስ አበባ ᠮᠣᠩᠭᠣᠯ\u180bᠤᠯᠤᠰ",
            // Tibetan, Khmer, Burmese, Sinhala: stacked consonants and signs
            "བོད་ཡིག ភាសាខ្មែរ မြန်မာဘာသာ සිංහල");

    @Test
    void hardStringsSplitAsTheReferenceLibrarysSplitter() throws Exception {
        Path python = ROOT.resolve("training/work/venv-reference/bin/python");
        Assumptions.assumeTrue(Files.isExecutable(python), "reference venv training/work/venv-reference missing "
                + "(training/converter_parity.sh makes it): the library's own splitter cannot be run");
        assertSplitsAlike(HARD, reference(List.of(python.toString(), SCRIPT.toString(), "--gliner", "texts"),
                jsonLines(HARD), null));
    }

    @Test
    void hardStringsAndRandomMixesSplitAsPythonsRegex() throws Exception {
        List<String> texts = new ArrayList<>(HARD);
        texts.addAll(randomMixes());
        assertSplitsAlike(texts, reference(python3("texts"), jsonLines(texts), null));
    }

    @Test
    void multilingualCorpusSplitsAsPythonsRegex() throws Exception {
        Path corpus = SharedData.require("corpus/multi_sentences.jsonl");
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                texts.add(JSON.readTree(line).get("text").asText());
            }
        }
        assertTrue(texts.size() > 50_000, "the corpus should hold the German, French and Spanish sentences");
        assertSplitsAlike(texts, reference(python3("texts"), null, corpus));
    }

    /**
     * Every code point, classed as a word character, a separator or a word of its own. JDK 17 has the tables of
     * Unicode 13, Python 3.11 those of Unicode 14: a code point assigned in only one of them (a letter added by the
     * newer standard) may be classed differently, and the splitter follows the JVM's tables (see
     * {@link WordSplitter}); every code point assigned in both must be classed alike.
     */
    @Test
    void everyCodePointAssignedInBothUnicodeVersionsIsClassedAsPythonsRegex() throws Exception {
        List<String> table = reference(python3("classes"), null, null);
        assertTrue(table.get(0).startsWith("unicode "), table.get(0));
        List<String> differences = new ArrayList<>();
        int skewed = 0;
        int covered = 0;
        for (String range : table.subList(1, table.size())) {
            String[] parts = range.split(" ");
            int first = Integer.parseInt(parts[0]);
            int last = Integer.parseInt(parts[1]);
            String python = parts[2];
            for (int codePoint = first; codePoint <= last; codePoint++) {
                covered++;
                String java = classOf(codePoint);
                String expected = python.equals("unassigned") ? "other" : python;
                if (java.equals(expected)) {
                    continue;
                }
                if (python.equals("unassigned") || Character.getType(codePoint) == Character.UNASSIGNED) {
                    skewed++;
                } else if (differences.size() < 20) {
                    differences.add(String.format("U+%04X %s: Python %s, WordSplitter %s",
                            codePoint, Character.getName(codePoint), python, java));
                }
            }
        }
        assertEquals(Character.MAX_CODE_POINT + 1, covered, "the table must cover every code point");
        assertEquals(List.of(), differences, "code points assigned in both Unicode versions classed differently");
        // Not a bound, a record: JDK 17 against Python 3.11 leaves the 525 letters and digits Unicode 14 added.
        System.out.printf("%d code points classed differently only because the Unicode versions differ (Python %s, "
                + "Java %s)%n", skewed, table.get(0), Runtime.version());
    }

    private static String classOf(int codePoint) {
        String c = new String(Character.toChars(codePoint));
        if (WordSplitter.split(c).isEmpty()) {
            return "space";
        }
        List<Word> joined = WordSplitter.split("a" + c);
        return joined.size() == 1 && joined.get(0).text().equals("a" + c) ? "word" : "other";
    }

    /** Short random strings over the characters where splitting decisions are made. */
    private static List<String> randomMixes() {
        int[] pool = {'a', 'Z', '7', '-', '-', '_', '_', ' ', '.', '\'', '\u00a0', '\u2028', '\u3000', '\u0085',
                '\u001c', '\u200b', '\u200d', '\u200c', '\u00e9', '\u0301', '\u0308', '\u0915', '\u093f', '\u094d',
                '\u0e01', '\u0e34', '\u0661', '\u0967', '\u064e', '\u4e2d', '\u30fc', '\uac00', '\u1100', '\u00bd',
                '\u00b2', '\u2160', '\ufe0f', '\u180e', 0x1f600, 0x1f3fd, 0x1d400, 0x1d7ce, 0x20000, 0x10140};
        Random random = new Random(23);
        List<String> texts = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            texts.add(text.toString());
        }
        return texts;
    }

    private static void assertSplitsAlike(List<String> texts, List<String> reference) {
        assertEquals(texts.size(), reference.size(), "one line of splits per text");
        List<String> differences = new ArrayList<>();
        int words = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            List<Word> expected = words(text, reference.get(i));
            List<Word> actual = WordSplitter.split(text);
            words += expected.size();
            if (!expected.equals(actual) && differences.size() < 10) {
                differences.add("text " + i + " " + JSON.valueToTree(text) + "\n  Python: " + expected
                        + "\n  Java:   " + actual);
            }
        }
        assertEquals(List.of(), differences, "texts split differently");
        assertTrue(words > texts.size() / 2, "the reference found words");
    }

    /** The reference's words: its "start:end" code point offsets, and the text they cut. */
    private static List<Word> words(String text, String offsets) {
        List<Word> words = new ArrayList<>();
        if (offsets.isEmpty()) {
            return words;
        }
        int[] codePoints = text.codePoints().toArray();
        for (String pair : offsets.split(" ")) {
            int colon = pair.indexOf(':');
            int start = Integer.parseInt(pair.substring(0, colon));
            int end = Integer.parseInt(pair.substring(colon + 1));
            words.add(new Word(new String(codePoints, start, end - start), start, end));
        }
        return words;
    }

    private static List<String> python3(String mode) throws IOException, InterruptedException {
        Assumptions.assumeTrue(runs("python3"), "no python3 on the PATH to run Python's regex");
        return List.of("python3", SCRIPT.toString(), mode);
    }

    private static boolean runs(String command) throws IOException, InterruptedException {
        try {
            Process probe = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(1, TimeUnit.MINUTES) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] jsonLines(List<String> texts) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String text : texts) {
            lines.append(JSON.writeValueAsString(text)).append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The script's output lines, fed {@code input} (or the file {@code inputFile}) on stdin. */
    private static List<String> reference(List<String> command, byte[] input, Path inputFile) throws Exception {
        Path errors = Files.createTempFile("word-splits", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectError(errors.toFile());
            builder.environment().put("PYTHONIOENCODING", "utf-8");
            if (inputFile != null) {
                builder.redirectInput(inputFile.toFile());
            }
            Process process = builder.start();
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                try (OutputStream stdin = process.getOutputStream()) {
                    if (input != null) {
                        stdin.write(input);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<String> lines = new ArrayList<>();
            try (BufferedReader stdout = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(command + " did not finish");
            }
            assertEquals(0, process.exitValue(), () -> command + " failed:\n" + readQuietly(errors));
            feeding.get(1, TimeUnit.MINUTES);
            return lines;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
