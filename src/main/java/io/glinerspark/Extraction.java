package io.glinerspark;

import ai.onnxruntime.OrtException;
import io.glinerspark.ExtractionOptions.LongTextPolicy;
import io.glinerspark.bundle.GlinerConfig;
import io.glinerspark.decode.EntityAssembler;
import io.glinerspark.decode.GreedySelector;
import io.glinerspark.decode.SpanCandidate;
import io.glinerspark.decode.WindowMerge;
import io.glinerspark.encode.EncodedText;
import io.glinerspark.encode.GlinerTokenizer;
import io.glinerspark.encode.PromptEncoder;
import io.glinerspark.runtime.GlinerGraph;
import io.glinerspark.text.Word;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One extraction call: texts -> windows -> length-sorted batches -> logits -> candidates per window -> one greedy
 * selection per document -> entities. Errors that belong to one text stay with that text.
 */
final class Extraction {

    private final GlinerConfig config;
    private final GlinerTokenizer tokenizer;
    private final PromptEncoder encoder;
    private final GlinerGraph graph;
    private final ModelOptions modelOptions;
    private final ExtractionOptions options;
    private final ExtractionStats stats;

    Extraction(GlinerConfig config, GlinerTokenizer tokenizer, PromptEncoder encoder, GlinerGraph graph,
               ModelOptions modelOptions, ExtractionOptions options, ExtractionStats stats) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.graph = graph;
        this.modelOptions = modelOptions;
        this.options = options;
        this.stats = stats;
    }

    /** A text to extract from, its words, and what happened to it during the call. */
    static final class Document {
        private final String text;
        private final List<Word> words;
        private final List<List<SpanCandidate>> windowCandidates = new ArrayList<>();
        private RuntimeException error;

        private Document(String text, List<Word> words, RuntimeException error) {
            this.text = text;
            this.words = words;
            this.error = error;
        }

        static Document ofText(String text, List<Word> words) {
            return new Document(text, words, null);
        }

        /** Words joined by single spaces, so that offsets point into that joined text. */
        static Document ofWords(List<String> given) {
            if (given == null) {
                return new Document("", List.of(), null);
            }
            List<Word> words = new ArrayList<>(given.size());
            StringBuilder joined = new StringBuilder();
            int codePoint = 0;
            for (int i = 0; i < given.size(); i++) {
                String word = given.get(i);
                if (word == null) {
                    return new Document("", List.of(), new IllegalArgumentException("word " + i + " is null"));
                }
                if (i > 0) {
                    joined.append(' ');
                    codePoint++;
                }
                int length = word.codePointCount(0, word.length());
                words.add(new Word(word, codePoint, codePoint + length));
                joined.append(word);
                codePoint += length;
            }
            return new Document(joined.toString(), words, null);
        }

        private void fail(RuntimeException cause) {
            if (error == null) {
                error = cause;
            }
        }
    }

    /** One sequence for the graph: a whole text, or one window of a long one. */
    private record Window(Document document, int slot, int firstWord, EncodedText encoded) {
    }

    List<ExtractionResult> run(List<Document> documents, List<String> labels) {
        List<String> classes = deduplicate(labels);
        int tokenBudget = textTokenBudget(classes);
        float[] thresholds = new float[classes.size()];
        for (int c = 0; c < thresholds.length; c++) {
            thresholds[c] = options.thresholdFor(classes.get(c));
        }

        List<Window> windows = new ArrayList<>();
        for (Document document : documents) {
            stats.addDocument(document.words.size());
            if (document.error == null) {
                try {
                    windows.addAll(windowsOf(document, classes, tokenBudget));
                } catch (RuntimeException e) {
                    document.fail(e);
                }
            }
        }
        runBatches(windows, classes.size(), thresholds);

        List<ExtractionResult> results = new ArrayList<>(documents.size());
        for (Document document : documents) {
            if (document.error != null) {
                stats.addFailed();
                results.add(ExtractionResult.failure(document.error));
            } else {
                results.add(ExtractionResult.of(entitiesOf(document, classes)));
            }
        }
        return results;
    }

    /**
     * Checks a label list without any text: the checks {@link #run} makes before it reads a text.
     *
     * @throws IllegalArgumentException when the labels are unusable
     */
    void checkLabels(List<String> labels) {
        textTokenBudget(deduplicate(labels));
    }

    /** Sub-tokens left for text beside the prompt of {@code classes}. */
    private int textTokenBudget(List<String> classes) {
        int promptLength = encoder.promptLength(classes);
        int tokenBudget = config.positionLimit() - promptLength;
        if (tokenBudget < 1) {
            throw new IllegalArgumentException("the prompt of " + classes.size() + " labels takes " + promptLength
                    + " sub-tokens, leaving no room for text within the model's " + config.positionLimit()
                    + " positions; pass fewer labels per call");
        }
        return tokenBudget;
    }

    /** Labels in first-occurrence order without repeats; compared exactly (no case folding or trimming). */
    private static List<String> deduplicate(List<String> labels) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("at least one label is required");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                throw new IllegalArgumentException("label " + i + " is null");
            }
        }
        return List.copyOf(new LinkedHashSet<>(labels));
    }

    private List<Window> windowsOf(Document document, List<String> classes, int tokenBudget) {
        List<Word> words = document.words;
        if (words.isEmpty()) {
            return List.of();
        }
        List<String> wordTexts = words.stream().map(Word::text).toList();
        // Most texts fit one window: encode them whole and only count sub-tokens per word when they do not.
        if (words.size() <= config.maxLen()) {
            EncodedText whole = encoder.encode(classes, wordTexts);
            if (whole.length() <= config.positionLimit()) {
                document.windowCandidates.add(null);
                return List.of(new Window(document, 0, 0, whole));
            }
        }
        List<TextWindows.WordRange> ranges = switch (options.longText()) {
            case CHUNK -> TextWindows.plan(tokenizer.tokenCounts(wordTexts), config.maxLen(), tokenBudget,
                    options.windowOverlap());
            // only the first window's words can matter
            case TRUNCATE -> List.of(TextWindows.first(
                    tokenizer.tokenCounts(wordTexts.subList(0, Math.min(words.size(), config.maxLen()))),
                    config.maxLen(), tokenBudget));
            case FAIL -> throw tooLong(words.size(), tokenizer.tokenCounts(wordTexts), tokenBudget);
        };
        if (options.longText() == LongTextPolicy.CHUNK && ranges.size() > 1) {
            stats.addChunked();
        } else if (options.longText() == LongTextPolicy.TRUNCATE) {
            stats.addTruncated();
        }
        List<Window> windows = new ArrayList<>(ranges.size());
        for (TextWindows.WordRange range : ranges) {
            EncodedText encoded = encoder.encode(classes, wordTexts.subList(range.start(), range.end()));
            if (encoded.length() > config.positionLimit()) {
                throw new IllegalStateException("words " + range.start() + ".." + (range.end() - 1) + " encode to "
                        + encoded.length() + " sub-tokens in context, more than the " + config.positionLimit()
                        + " positions their per-word counts promised");
            }
            windows.add(new Window(document, document.windowCandidates.size(), range.start(), encoded));
            document.windowCandidates.add(null);
        }
        return windows;
    }

    private IllegalArgumentException tooLong(int wordCount, int[] tokenCounts, int tokenBudget) {
        long tokens = 0;
        for (int count : tokenCounts) {
            tokens += count;
        }
        return new IllegalArgumentException("text has " + wordCount + " words and " + tokens + " sub-tokens; one "
                + "window of this model holds " + config.maxLen() + " words and " + tokenBudget + " text sub-tokens "
                + "with these labels (long-text policy FAIL)");
    }

    private void runBatches(List<Window> windows, int labelCount, float[] thresholds) {
        int[] words = new int[windows.size()];
        int[] tokens = new int[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            words[i] = windows.get(i).encoded().numWords();
            tokens[i] = windows.get(i).encoded().length();
        }
        for (List<Integer> indices : BatchPlanner.plan(words, tokens, config.maxWidth(), modelOptions.batchWords(),
                modelOptions.batchTokens())) {
            List<Window> batch = new ArrayList<>(indices.size());
            for (int index : indices) {
                batch.add(windows.get(index));
            }
            runBatch(batch, labelCount, thresholds);
        }
    }

    /** Runs a batch; when it fails, runs its windows one by one so the error lands on the text that caused it. */
    private void runBatch(List<Window> batch, int labelCount, float[] thresholds) {
        List<EncodedText> encoded = new ArrayList<>(batch.size());
        long tokens = 0;
        int longest = 0;
        for (Window window : batch) {
            encoded.add(window.encoded());
            tokens += window.encoded().length();
            longest = Math.max(longest, window.encoded().length());
        }
        GlinerGraph.Output output;
        try {
            output = graph.run(encoded, labelCount);
        } catch (OrtException | RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).document().fail(new IllegalStateException("the model failed on this text: "
                        + e.getMessage(), e));
            } else {
                for (Window window : batch) {
                    runBatch(List.of(window), labelCount, thresholds);
                }
            }
            return;
        }
        stats.addBatch(batch.size(), tokens, (long) longest * batch.size(), output.ortNanos());
        for (int row = 0; row < batch.size(); row++) {
            Window window = batch.get(row);
            List<SpanCandidate> candidates = output.logits().decode(row, window.encoded().numWords(), thresholds,
                    options.tokenScore());
            if (window.firstWord() != 0) {
                candidates = candidates.stream().map(c -> c.shifted(window.firstWord())).toList();
            }
            window.document().windowCandidates.set(window.slot(), candidates);
        }
    }

    private List<Entity> entitiesOf(Document document, List<String> classes) {
        List<List<SpanCandidate>> perWindow = document.windowCandidates;
        if (perWindow.isEmpty()) {
            return List.of();
        }
        List<SpanCandidate> candidates = perWindow.size() == 1 ? perWindow.get(0) : WindowMerge.merge(perWindow);
        List<SpanCandidate> selected = GreedySelector.select(candidates, options.flatNer(), options.multiLabel());
        return EntityAssembler.assemble(document.text, document.words, selected, classes);
    }
}
