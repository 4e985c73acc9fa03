package io.glinerspark;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's graph joined to its encoder and decoder: encoded texts go in as the encoder's batch tensors, the graph's
 * output comes back as the decoder's logits; a bi-encoder's text graph also takes the label vectors of its
 * {@link LabelEncoder}. Opening it checks the graph against the GLiNER ONNX contract: the inputs of a span or
 * token-level model, the span width baked into the graph and, for token-level models, the layout of the
 * start/end/inside axis.
 */
final class ModelGraph {

    /** Probe batch: one text of two words and one label, sizes at which the two token layouts differ. */
    private static final List<String> PROBE_WORDS = List.of("probe", "text");
    private static final List<String> PROBE_LABELS = List.of("entity");

    /** The input of a bi-encoder's text graph that takes the label vectors, {@code [labels, width]}. */
    static final String LABELS_EMBEDDINGS = "labels_embeddings";

    private final GlinerGraph graph;
    private final boolean tokenLevel;
    private final int maxWidth;
    private final long padId;
    private final TokenLogits.Layout layout;
    /** The label side of a bi-encoder, else null. */
    private final LabelEncoder labelEncoder;

    private ModelGraph(GlinerGraph graph, boolean tokenLevel, int maxWidth, long padId, TokenLogits.Layout layout,
                       LabelEncoder labelEncoder) {
        this.graph = graph;
        this.tokenLevel = tokenLevel;
        this.maxWidth = maxWidth;
        this.padId = padId;
        this.layout = layout;
        this.labelEncoder = labelEncoder;
    }

    /**
     * Checks the session's signature and probes it with a one-text batch.
     *
     * @throws ModelLoadException naming the input, output or config setting the graph disagrees with
     */
    static ModelGraph open(InferenceSession session, GlinerConfig config, PromptEncoder encoder,
                           LabelEncoder labelEncoder) {
        boolean tokenLevel = config.tokenLevel();
        Map<String, OnnxJavaType> inputs = new LinkedHashMap<>(BatchTensors.inputTypes(!tokenLevel));
        if (labelEncoder != null) {
            inputs.put(LABELS_EMBEDDINGS, OnnxJavaType.FLOAT);
        }
        String kind = "a " + (tokenLevel ? "token-level" : "span") + (labelEncoder != null ? " bi-encoder" : "")
                + " GLiNER model";
        GlinerGraph graph = GlinerGraph.open(session, inputs, kind);
        long padId = encoder.tokenizer().padId();
        long[] shape = probeShape(graph, encoder, config, padId, labelEncoder);
        String model = session.modelFile().toString();
        if (tokenLevel) {
            try {
                TokenLogits.Layout layout = TokenLogits.Layout.detect(shape, PROBE_WORDS.size(), PROBE_LABELS.size());
                return new ModelGraph(graph, true, config.maxWidth(), padId, layout, labelEncoder);
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
        return new ModelGraph(graph, false, config.maxWidth(), padId, null, labelEncoder);
    }

    private static long[] probeShape(GlinerGraph graph, PromptEncoder encoder, GlinerConfig config, long padId,
                                     LabelEncoder labelEncoder) {
        EncodedText probe = encoder.encode(PROBE_LABELS, PROBE_WORDS);
        boolean tokenLevel = config.tokenLevel();
        try (BatchTensors tensors = BatchTensors.build(OrtRuntime.environment(), List.of(probe), config.maxWidth(),
                padId, !tokenLevel);
             OnnxTensor labels = labelEncoder == null ? null
                     : LabelEncoder.tensor(labelEncoder.embed(PROBE_LABELS, PROBE_LABELS, new ExtractionStats()))) {
            return graph.run(withLabels(tensors.inputs(), labels)).shape();
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
     * @param texts          encoded texts that share one label prompt
     * @param labels         the number of labels in that prompt
     * @param labelEmbeddings a bi-encoder's {@link LabelEncoder#tensor} of those labels, else null
     */
    Output run(List<EncodedText> texts, int labels, OnnxTensor labelEmbeddings) throws OrtException {
        try (BatchTensors tensors = BatchTensors.build(OrtRuntime.environment(), texts, maxWidth, padId, !tokenLevel)) {
            GlinerGraph.Output output = graph.run(withLabels(tensors.inputs(), labelEmbeddings));
            int batch = texts.size();
            int words = tensors.paddedWords();
            Logits logits = tokenLevel
                    ? TokenLogits.of(output.values(), output.shape(), layout, batch, words, labels)
                    : SpanLogits.of(output.values(), output.shape(), batch, words, maxWidth, labels);
            return new Output(logits, output.ortNanos());
        }
    }

    private static Map<String, OnnxTensor> withLabels(Map<String, OnnxTensor> inputs, OnnxTensor labelEmbeddings) {
        if (labelEmbeddings == null) {
            return inputs;
        }
        Map<String, OnnxTensor> all = new LinkedHashMap<>(inputs);
        all.put(LABELS_EMBEDDINGS, labelEmbeddings);
        return all;
    }

    /** The label side of a bi-encoder, else null. */
    LabelEncoder labelEncoder() {
        return labelEncoder;
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
