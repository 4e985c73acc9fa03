package io.glinerspark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.glinerspark.bundle.GlinerConfig;
import io.glinerspark.decode.EntityAssembler;
import io.glinerspark.decode.GreedySelector;
import io.glinerspark.decode.SpanCandidate;
import io.glinerspark.decode.WindowMerge;
import io.glinerspark.encode.EncodedText;
import io.glinerspark.encode.GlinerTokenizer;
import io.glinerspark.encode.PromptEncoder;
import io.glinerspark.text.Word;
import io.glinerspark.types.Entity;
import io.glinerspark.types.InferenceException;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;
import io.glinerspark.types.LongTextPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One extraction call: texts -> windows -> length-sorted batches -> logits -> candidates per window -> one greedy
 * selection per document -> entities. A label list too long for one prompt runs as several label slices whose
 * candidates meet before that one selection; a bi-encoder's list is one slice of label vectors, whatever its size.
 * Errors that belong to one text stay with that text; errors of the labels or of the runtime fail the call.
 */
final class Extraction {

    /**
     * Labels per slice when a list is split. GLiNER models are trained on prompts of at most about 25 entity types
     * (the reference's max_types and our training tools cap them there); much larger slices degrade sharply (on the
     * shipped model, a slice of 60 labels mislabels people that slices of 25 find).
     */
    static final int MAX_SLICE_LABELS = 25;

    private final GlinerConfig config;
    private final GlinerTokenizer tokenizer;
    private final PromptEncoder encoder;
    private final ModelGraph graph;
    private final ModelOptions modelOptions;
    private final ExtractionOptions options;
    private final ExtractionStats stats;

    Extraction(GlinerConfig config, GlinerTokenizer tokenizer, PromptEncoder encoder, ModelGraph graph,
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
        private List<String> wordTexts;
        private boolean chunked;
        private boolean truncated;
        private int oversizedWords;
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

        private List<String> wordTexts() {
            if (wordTexts == null) {
                wordTexts = words.stream().map(Word::text).toList();
            }
            return wordTexts;
        }

        private void fail(RuntimeException cause) {
            if (error == null) {
                error = cause;
            }
        }
    }

    /** One sequence for the graph: a whole text, or one window of a long one, with the prompt of one label slice. */
    private record Window(Document document, int slot, int firstWord, EncodedText encoded) {
    }

    /**
     * The de-duplicated labels in class order and the text each is prompted as (its description, else itself).
     */
    private record Classes(List<String> names, List<String> prompts) {

        int size() {
            return names.size();
        }

        Classes sub(int from, int to) {
            return from == 0 && to == size() ? this
                    : new Classes(List.copyOf(names.subList(from, to)), List.copyOf(prompts.subList(from, to)));
        }
    }

    /**
     * Consecutive labels of the de-duplicated list that share one prompt.
     *
     * @param firstClass  index of the slice's first label in the whole list
     * @param classes     the slice's labels and prompts
     * @param tokenBudget sub-tokens left for text beside the slice's prompt
     * @param thresholds  per label of the slice
     * @param vectors     a bi-encoder's label vectors of the slice, else null
     */
    private record LabelSlice(int firstClass, Classes classes, int tokenBudget, float[] thresholds, float[][] vectors) {
    }

    List<ExtractionResult> run(List<Document> documents, LabelSet labels) {
        Classes classes = classesOf(labels);
        List<LabelSlice> slices = labelSlices(classes);
        if (slices.size() > 1) {
            stats.addSplitLabelCall();
        }
        for (Document document : documents) {
            stats.addDocument(document.words.size());
        }
        for (LabelSlice slice : slices) {
            List<Window> windows = new ArrayList<>();
            for (Document document : documents) {
                if (document.error == null) {
                    try {
                        windows.addAll(windowsOf(document, slice));
                    } catch (RuntimeException e) {
                        document.fail(e);
                    }
                }
            }
            if (windows.isEmpty()) {
                continue;
            }
            try (OnnxTensor labelVectors = slice.vectors() == null ? null : LabelEncoder.tensor(slice.vectors())) {
                runBatches(windows, slice, labelVectors);
            } catch (OrtException e) {
                throw new InferenceException("cannot hold the vectors of " + slice.classes().size() + " labels for "
                        + "the model: " + e.getMessage(), e);
            }
        }

        List<ExtractionResult> results = new ArrayList<>(documents.size());
        for (Document document : documents) {
            if (document.error != null) {
                stats.addFailed();
                results.add(ExtractionResult.failure(document.error));
            } else {
                stats.addWindowing(document.chunked, document.truncated, document.oversizedWords);
                results.add(ExtractionResult.of(entitiesOf(document, classes)));
            }
        }
        return results;
    }

    /**
     * Checks a label list without any text: the checks {@link #run} makes before it reads a text.
     *
     * @throws InvalidLabelsException when the labels are unusable
     */
    void checkLabels(LabelSet labels) {
        labelSlices(classesOf(labels));
    }

    /**
     * A bi-encoder's vectors of {@code labels} by encoded text, after the checks of {@link #checkLabels}; empty for
     * other models.
     */
    Map<String, float[]> labelVectors(LabelSet labels) {
        Map<String, float[]> vectors = new HashMap<>();
        for (LabelSlice slice : labelSlices(classesOf(labels))) {
            for (int c = 0; slice.vectors() != null && c < slice.vectors().length; c++) {
                vectors.put(slice.classes().prompts().get(c), slice.vectors()[c]);
            }
        }
        return vectors;
    }

    /**
     * Labels in first-occurrence order without repeats, compared exactly (no case folding or trimming), with their
     * prompts; two labels prompted alike could not be told apart, so prompts must be distinct.
     */
    private static Classes classesOf(LabelSet set) {
        List<String> labels = set == null ? null : set.labels();
        if (labels == null || labels.isEmpty()) {
            throw new InvalidLabelsException("at least one label is required");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                throw new InvalidLabelsException("label " + i + " is null");
            }
        }
        List<String> names = List.copyOf(new LinkedHashSet<>(labels));
        if (set.descriptions().isEmpty()) {
            return new Classes(names, names);
        }
        List<String> prompts = new ArrayList<>(names.size());
        Map<String, String> promptedFor = new HashMap<>();
        for (String name : names) {
            String prompt = set.prompt(name);
            String other = promptedFor.putIfAbsent(prompt, name);
            if (other != null) {
                throw new InvalidLabelsException("labels '" + other + "' and '" + name + "' are both prompted as "
                        + InvalidLabelsException.quoted(prompt) + "; label descriptions "
                        + "must be unique within a label set");
            }
            prompts.add(prompt);
        }
        return new Classes(names, List.copyOf(prompts));
    }

    /**
     * The whole list as one slice when its prompt leaves room for text (exactly what the reference runs), as it
     * always does for a bi-encoder, whose texts carry no prompt; otherwise
     * consecutive slices of at most {@link #MAX_SLICE_LABELS} labels whose prompts take at most half the model's
     * positions, so that each slice still reads text in windows of a useful size rather than a few sub-tokens at a
     * time.
     */
    private List<LabelSlice> labelSlices(Classes classes) {
        int promptLength = encoder.promptLength(classes.prompts(), classes.names());
        if (promptLength < config.positionLimit()) {
            return List.of(slice(classes, 0, classes.size(), promptLength));
        }
        // A prompt is the specials and <<SEP>> plus, per label, one <<ENT>> and the label's sub-tokens.
        int fixedPart = encoder.promptLength(List.of());
        int[] labelTokens = tokenizer.tokenCounts(classes.prompts());
        int target = config.positionLimit() / 2;
        List<LabelSlice> slices = new ArrayList<>();
        int first = 0;
        int length = fixedPart;
        for (int c = 0; c < classes.size(); c++) {
            int cost = 1 + labelTokens[c];
            if (c > first && (length + cost > target || c - first == MAX_SLICE_LABELS)) {
                addSlices(classes, first, c, slices);
                first = c;
                length = fixedPart;
            }
            length += cost;
        }
        addSlices(classes, first, classes.size(), slices);
        return slices;
    }

    /**
     * Adds labels [from, to) as one slice; a slice whose actual prompt leaves no room (a tokenizer that does not
     * count labels independently) is halved until every part fits.
     */
    private void addSlices(Classes classes, int from, int to, List<LabelSlice> slices) {
        Classes part = classes.sub(from, to);
        int promptLength = encoder.promptLength(part.prompts(), part.names());
        if (promptLength < config.positionLimit()) {
            slices.add(slice(classes, from, to, promptLength));
        } else if (to - from == 1) {
            String label = classes.names().get(from);
            String prompt = classes.prompts().get(from);
            throw new InvalidLabelsException("label " + InvalidLabelsException.quoted(label)
                    + " (" + (label.equals(prompt) ? "" : "its description ") + prompt.length() + " characters) takes "
                    + promptLength + " sub-tokens in a prompt of its own, leaving no room for text within the model's "
                    + config.positionLimit() + " positions");
        } else {
            int middle = (from + to) >>> 1;
            addSlices(classes, from, middle, slices);
            addSlices(classes, middle, to, slices);
        }
    }

    private LabelSlice slice(Classes classes, int from, int to, int promptLength) {
        Classes members = classes.sub(from, to);
        float[] thresholds = new float[members.size()];
        for (int c = 0; c < thresholds.length; c++) {
            thresholds[c] = options.thresholdFor(members.names().get(c));
        }
        LabelEncoder labelEncoder = graph.labelEncoder();
        float[][] vectors = labelEncoder == null ? null : labelEncoder.embed(members.prompts(), members.names(), stats);
        return new LabelSlice(from, members, config.positionLimit() - promptLength, thresholds, vectors);
    }

    private List<Window> windowsOf(Document document, LabelSlice slice) {
        List<Word> words = document.words;
        if (words.isEmpty()) {
            return List.of();
        }
        List<String> wordTexts = document.wordTexts();
        // Most texts fit one window: encode them whole and only count sub-tokens per word when they do not.
        if (words.size() <= config.maxLen()) {
            EncodedText whole = encode(slice, wordTexts);
            if (whole.length() <= config.positionLimit()) {
                return List.of(window(document, 0, whole));
            }
        }
        int tokenBudget = slice.tokenBudget();
        TextWindows.Plan plan = switch (options.longText()) {
            case CHUNK -> TextWindows.plan(tokenizer.tokenCounts(wordTexts), config.maxLen(), tokenBudget,
                    options.windowOverlap());
            // only the first window's words can matter
            case TRUNCATE -> TextWindows.first(
                    tokenizer.tokenCounts(wordTexts.subList(0, Math.min(words.size(), config.maxLen()))),
                    config.maxLen(), tokenBudget);
            case FAIL -> throw tooLong(words.size(), tokenizer.tokenCounts(wordTexts), tokenBudget);
        };
        if (options.longText() == LongTextPolicy.CHUNK && plan.windows().size() > 1) {
            document.chunked = true;
        } else if (options.longText() == LongTextPolicy.TRUNCATE) {
            document.truncated = true;
        }
        // slices have different budgets; the smallest leaves out the most words, every word any other slice does
        document.oversizedWords = Math.max(document.oversizedWords, plan.oversizedWords());
        List<Window> windows = new ArrayList<>(plan.windows().size());
        for (TextWindows.WordRange range : plan.windows()) {
            EncodedText encoded = encode(slice, wordTexts.subList(range.start(), range.end()));
            if (encoded.length() > config.positionLimit()) {
                throw new IllegalStateException("words " + range.start() + ".." + (range.end() - 1) + " encode to "
                        + encoded.length() + " sub-tokens in context, more than the " + config.positionLimit()
                        + " positions their per-word counts promised");
            }
            windows.add(window(document, range.start(), encoded));
        }
        return windows;
    }

    private EncodedText encode(LabelSlice slice, List<String> words) {
        return encoder.encode(slice.classes().prompts(), slice.classes().names(), words);
    }

    private static Window window(Document document, int firstWord, EncodedText encoded) {
        document.windowCandidates.add(null);
        return new Window(document, document.windowCandidates.size() - 1, firstWord, encoded);
    }

    private IllegalArgumentException tooLong(int wordCount, int[] tokenCounts, int tokenBudget) {
        long tokens = 0;
        int largest = 0;
        for (int count : tokenCounts) {
            tokens += count;
            largest = Math.max(largest, count);
        }
        return new IllegalArgumentException("text has " + wordCount + " words and " + tokens + " sub-tokens (the "
                + "largest word " + largest + "); one window of this model holds " + config.maxLen() + " words and "
                + tokenBudget + " text sub-tokens with these labels (long-text policy FAIL)");
    }

    private void runBatches(List<Window> windows, LabelSlice slice, OnnxTensor labelVectors) {
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
            runBatch(batch, slice, labelVectors);
        }
    }

    /**
     * Runs a batch. The engine sends only sequences the model accepts (within its positions, with the tokenizer's
     * ids), so a failure here is the runtime's, not a text's: it fails the call instead of marking texts failed.
     */
    private void runBatch(List<Window> batch, LabelSlice slice, OnnxTensor labelVectors) {
        List<EncodedText> encoded = new ArrayList<>(batch.size());
        long tokens = 0;
        int longest = 0;
        for (Window window : batch) {
            encoded.add(window.encoded());
            tokens += window.encoded().length();
            longest = Math.max(longest, window.encoded().length());
        }
        ModelGraph.Output output;
        try {
            output = graph.run(encoded, slice.classes().size(), labelVectors);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException("the model failed on a batch of " + batch.size() + " sequences (up to "
                    + longest + " sub-tokens, " + slice.classes().size() + " labels): " + e.getMessage(), e);
        }
        stats.addBatch(batch.size(), tokens, (long) longest * batch.size(), output.ortNanos());
        for (int row = 0; row < batch.size(); row++) {
            Window window = batch.get(row);
            List<SpanCandidate> candidates = output.logits().decode(row, window.encoded().numWords(),
                    slice.thresholds(), options.tokenScore());
            if (window.firstWord() != 0 || slice.firstClass() != 0) {
                candidates = candidates.stream().map(c -> c.placed(window.firstWord(), slice.firstClass())).toList();
            }
            window.document().windowCandidates.set(window.slot(), candidates);
        }
    }

    private List<Entity> entitiesOf(Document document, Classes classes) {
        List<List<SpanCandidate>> perWindow = document.windowCandidates;
        if (perWindow.isEmpty()) {
            return List.of();
        }
        List<SpanCandidate> candidates = perWindow.size() == 1 ? perWindow.get(0) : WindowMerge.merge(perWindow);
        List<SpanCandidate> selected = GreedySelector.select(candidates, options.flatNer(), options.multiLabel());
        return EntityAssembler.assemble(document.text, document.words, selected, classes.names());
    }
}
