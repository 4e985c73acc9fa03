package io.glinerspark;

import ai.onnxruntime.OrtException;
import io.glinerspark.bundle.GlinerConfig;
import io.glinerspark.decode.Logits;
import io.glinerspark.decode.SpanLogits;
import io.glinerspark.decode.TokenLogits;
import io.glinerspark.encode.BatchTensors;
import io.glinerspark.encode.EncodedText;
import io.glinerspark.encode.PromptEncoder;
import io.glinerspark.runtime.GlinerGraph;
import io.glinerspark.runtime.InferenceSession;
import io.glinerspark.runtime.OrtRuntime;
import io.glinerspark.types.ModelLoadException;

import java.util.Arrays;
import java.util.List;

/**
 * A model's graph joined to its encoder and decoder: encoded texts go in as the encoder's batch tensors, the graph's
 * output comes back as the decoder's logits. Opening it checks the graph against the GLiNER ONNX contract: the
 * inputs of a span or token-level model, the span width baked into the graph and, for token-level models, the layout
 * of the start/end/inside axis.
 */
final class ModelGraph {

    /** Probe batch: one text of two words and one label, sizes at which the two token layouts differ. */
    private static final List<String> PROBE_WORDS = List.of("probe", "text");
    private static final List<String> PROBE_LABELS = List.of("entity");

    private final GlinerGraph graph;
    private final boolean tokenLevel;
    private final int maxWidth;
    private final long padId;
    private final TokenLogits.Layout layout;

    private ModelGraph(GlinerGraph graph, boolean tokenLevel, int maxWidth, long padId, TokenLogits.Layout layout) {
        this.graph = graph;
        this.tokenLevel = tokenLevel;
        this.maxWidth = maxWidth;
        this.padId = padId;
        this.layout = layout;
    }

    /**
     * Checks the session's signature and probes it with a one-text batch.
     *
     * @throws ModelLoadException naming the input, output or config setting the graph disagrees with
     */
    static ModelGraph open(InferenceSession session, GlinerConfig config, PromptEncoder encoder) {
        boolean tokenLevel = config.tokenLevel();
        GlinerGraph graph = GlinerGraph.open(session, BatchTensors.inputTypes(!tokenLevel), tokenLevel);
        long padId = encoder.tokenizer().padId();
        long[] shape = probeShape(graph, encoder, config, padId);
        String model = session.modelFile().toString();
        if (tokenLevel) {
            try {
                TokenLogits.Layout layout = TokenLogits.Layout.detect(shape, PROBE_WORDS.size(), PROBE_LABELS.size());
                return new ModelGraph(graph, true, config.maxWidth(), padId, layout);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(model + ": " + e.getMessage(), e);
            }
        }
        long[] expected = {1, PROBE_WORDS.size(), config.maxWidth(), PROBE_LABELS.size()};
        if (!Arrays.equals(shape, expected)) {
            throw new ModelLoadException(model + ": a probe batch of 1 text, 2 words and 1 label gave logits of shape "
                    + Arrays.toString(shape) + ", expected [1, 2, max_width=" + config.maxWidth() + ", 1]"
                    + " (max_width in gliner_config.json must be the export's)");
        }
        return new ModelGraph(graph, false, config.maxWidth(), padId, null);
    }

    private static long[] probeShape(GlinerGraph graph, PromptEncoder encoder, GlinerConfig config, long padId) {
        EncodedText probe = encoder.encode(PROBE_LABELS, PROBE_WORDS);
        boolean tokenLevel = config.tokenLevel();
        try (BatchTensors tensors = BatchTensors.build(OrtRuntime.environment(), List.of(probe), config.maxWidth(),
                padId, !tokenLevel)) {
            return graph.run(tensors.inputs()).shape();
        } catch (OrtException | RuntimeException e) {
            String hint = tokenLevel ? "" : " built with max_width=" + config.maxWidth()
                    + " from gliner_config.json (max_width must be the export's)";
            throw new ModelLoadException(graph.session().modelFile() + " rejected a probe batch" + hint + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs one padded batch.
     *
     * @param texts  encoded texts that share one label prompt
     * @param labels the number of labels in that prompt
     */
    Output run(List<EncodedText> texts, int labels) throws OrtException {
        try (BatchTensors tensors = BatchTensors.build(OrtRuntime.environment(), texts, maxWidth, padId, !tokenLevel)) {
            GlinerGraph.Output output = graph.run(tensors.inputs());
            int batch = texts.size();
            int words = tensors.paddedWords();
            Logits logits = tokenLevel
                    ? TokenLogits.of(output.values(), output.shape(), layout, batch, words, labels)
                    : SpanLogits.of(output.values(), output.shape(), batch, words, maxWidth, labels);
            return new Output(logits, output.ortNanos());
        }
    }

    /** The session underneath. */
    InferenceSession session() {
        return graph.session();
    }

    /**
     * Logits of one batch and the time spent inside the graph.
     *
     * @param logits   decodable row by row
     * @param ortNanos nanoseconds inside {@code OrtSession.run}
     */
    record Output(Logits logits, long ortNanos) {
    }
}
