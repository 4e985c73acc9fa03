package io.glinerspark;

import java.util.List;

/**
 * A loaded GLiNER model: the public entry point of the core engine. Thread-safe; close it when done
 * (instances from {@link #shared(ModelOptions)} are closed by the JVM).
 *
 * <p>CONTRACT UNDER CONSTRUCTION: the method set below is what the Spark layer and the tools code against.
 */
public final class GlinerModel implements AutoCloseable {

    private GlinerModel() {
    }

    /** Loads a model; the ONNX Runtime session is shared with every other model of equal options in this JVM. */
    public static GlinerModel load(ModelOptions options) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The JVM-wide instance for these options, loaded once (one session per executor JVM in Spark). */
    public static GlinerModel shared(ModelOptions options) {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Extracts entities from each text with one ordered label list. Results are in input order; a null or blank
     * text gives an empty list.
     */
    public List<List<Entity>> extract(List<String> texts, List<String> labels, ExtractionOptions options) {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Extracts entities from texts given pre-split into words. Entity offsets refer to the words joined by single
     * spaces; {@link Entity#startWord()} / {@link Entity#endWord()} index the given words.
     */
    public List<List<Entity>> extractWords(List<List<String>> words, List<String> labels, ExtractionOptions options) {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void close() {
    }
}
