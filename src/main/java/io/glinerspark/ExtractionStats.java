package io.glinerspark;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters a caller passes to {@link GlinerModel#extractEach} to learn what a call did; several calls, from any
 * threads, may add to one instance.
 */
public final class ExtractionStats {

    private final LongAdder documents = new LongAdder();
    private final LongAdder failedDocuments = new LongAdder();
    private final LongAdder chunkedDocuments = new LongAdder();
    private final LongAdder truncatedDocuments = new LongAdder();
    private final LongAdder oversizedWords = new LongAdder();
    private final LongAdder splitLabelCalls = new LongAdder();
    private final LongAdder labelsEncoded = new LongAdder();
    private final LongAdder words = new LongAdder();
    private final LongAdder windows = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder paddedTokens = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder ortNanos = new LongAdder();

    /** Texts seen, empty ones included. */
    public long documents() {
        return documents.sum();
    }

    /** Texts that got an error instead of entities. */
    public long failedDocuments() {
        return failedDocuments.sum();
    }

    /** Texts split into several windows (long-text policy CHUNK). */
    public long chunkedDocuments() {
        return chunkedDocuments.sum();
    }

    /** Texts of which only the first window was read (long-text policy TRUNCATE). */
    public long truncatedDocuments() {
        return truncatedDocuments.sum();
    }

    /**
     * Words left out of every window because their sub-tokens alone exceed what a window holds beside the label
     * prompt (a long CJK run, an encoded blob); they can never be part of an entity. Texts that failed are not
     * counted.
     */
    public long oversizedWords() {
        return oversizedWords.sum();
    }

    /**
     * Calls whose label list did not fit one prompt and ran as several label slices, each over every text (see
     * {@link GlinerModel#extractEach}).
     */
    public long splitLabelCalls() {
        return splitLabelCalls.sum();
    }

    /**
     * Labels a bi-encoder's label encoder ran on: only those the model did not already hold a vector for (see
     * {@link GlinerModel}); always 0 for other models.
     */
    public long labelsEncoded() {
        return labelsEncoded.sum();
    }

    /** Words of all texts, each counted once. */
    public long words() {
        return words.sum();
    }

    /** Sequences sent to the graph (one per short text, several per chunked one). */
    public long windows() {
        return windows.sum();
    }

    /** Sub-tokens sent to the graph (specials and label prompts included, padding excluded). */
    public long tokens() {
        return tokens.sum();
    }

    /** Sub-token slots sent to the graph, padding included. */
    public long paddedTokens() {
        return paddedTokens.sum();
    }

    /** Graph runs. */
    public long batches() {
        return batches.sum();
    }

    /** Nanoseconds spent inside ONNX Runtime's {@code run}. */
    public long ortNanos() {
        return ortNanos.sum();
    }

    void addDocument(int wordCount) {
        documents.increment();
        words.add(wordCount);
    }

    void addFailed() {
        failedDocuments.increment();
    }

    void addWindowing(boolean chunked, boolean truncated, int oversized) {
        if (chunked) {
            chunkedDocuments.increment();
        }
        if (truncated) {
            truncatedDocuments.increment();
        }
        oversizedWords.add(oversized);
    }

    void addSplitLabelCall() {
        splitLabelCalls.increment();
    }

    void addLabelsEncoded(int labels) {
        labelsEncoded.add(labels);
    }

    void addBatch(int sequences, long sequenceTokens, long paddedSlots, long nanos) {
        batches.increment();
        windows.add(sequences);
        tokens.add(sequenceTokens);
        paddedTokens.add(paddedSlots);
        ortNanos.add(nanos);
    }

    @Override
    public String toString() {
        return "documents=" + documents() + " failed=" + failedDocuments() + " chunked=" + chunkedDocuments()
                + " truncated=" + truncatedDocuments() + " oversizedWords=" + oversizedWords()
                + " splitLabelCalls=" + splitLabelCalls() + " labelsEncoded=" + labelsEncoded() + " words=" + words() + " windows=" + windows()
                + " tokens=" + tokens() + " paddedTokens=" + paddedTokens() + " batches=" + batches()
                + " ortMillis=" + ortNanos() / 1_000_000;
    }
}
