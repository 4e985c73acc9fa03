package io.glinerspark.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The inference-relevant fields of {@code gliner_config.json}; defaults are the reference's. Training-only fields
 * ({@code max_types}, {@code dropout}, ...) are ignored.
 *
 * @param spanMode              {@code token_level} for token-level models, a span representation otherwise
 * @param maxWidth              K, span widths 1..K, baked into the graph
 * @param maxLen                most words per text the model was trained on (one window)
 * @param entToken              prompt marker before each label
 * @param sepToken              prompt marker after the last label
 * @param classTokenIndex       the id of {@code entToken} the graph looks for, or null when the config has none
 * @param wordsSplitterType     word splitter; only {@code whitespace} (the regex splitter) exists in Java
 * @param modelName             backbone id
 * @param labelsEncoder         set for bi-encoder models: the label encoder's backbone id
 * @param labelsEncoderConfig   the label encoder backbone's own config, when the export embeds it
 * @param relationsLayer        set for relation-extraction models
 * @param labelsDecoder         set for generative models
 * @param precomputedPrompts    set for models that take precomputed label embeddings
 * @param encoderConfig         the backbone's own config, when the export embeds it
 * @param fixture               true for synthetic test models, whose predictions mean nothing
 * @param modelVersion          the bundle's own version name, for models that do not come from a versioned hub
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GlinerConfig(
        @JsonProperty("span_mode") String spanMode,
        @JsonProperty("max_width") Integer maxWidth,
        @JsonProperty("max_len") Integer maxLen,
        @JsonProperty("ent_token") String entToken,
        @JsonProperty("sep_token") String sepToken,
        @JsonProperty("class_token_index") Integer classTokenIndex,
        @JsonProperty("words_splitter_type") String wordsSplitterType,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("labels_encoder") JsonNode labelsEncoder,
        @JsonProperty("labels_encoder_config") JsonNode labelsEncoderConfig,
        @JsonProperty("relations_layer") JsonNode relationsLayer,
        @JsonProperty("labels_decoder") JsonNode labelsDecoder,
        @JsonProperty("precomputed_prompts_mode") JsonNode precomputedPrompts,
        @JsonProperty("encoder_config") JsonNode encoderConfig,
        @JsonProperty("fixture") Boolean fixture,
        @JsonProperty("model_version") String modelVersion) {

    /** Position limit of BERT-style backbones, used when the config does not state the backbone's own. */
    public static final int DEFAULT_POSITION_LIMIT = 512;

    public GlinerConfig {
        spanMode = spanMode != null ? spanMode : "markerV0";
        maxWidth = maxWidth != null ? maxWidth : 12;
        maxLen = maxLen != null ? maxLen : 384;
        entToken = entToken != null ? entToken : "<<ENT>>";
        sepToken = sepToken != null ? sepToken : "<<SEP>>";
        wordsSplitterType = wordsSplitterType != null ? wordsSplitterType : "whitespace";
        fixture = fixture != null && fixture;
    }

    /** True for token-level models (start/end/inside outputs), false for span models. */
    public boolean tokenLevel() {
        return "token_level".equals(spanMode);
    }

    /**
     * True for bi-encoder models: labels are embedded by their own encoder, apart from the text, whose sequence then
     * holds no label prompt.
     */
    public boolean biEncoder() {
        return isSet(labelsEncoder);
    }

    /** Whether a config field is set: present, not null, not false and not empty. */
    public static boolean isSet(JsonNode value) {
        return value != null && !value.isNull() && !(value.isBoolean() && !value.asBoolean())
                && !(value.isTextual() && value.asText().isEmpty()) && !(value.isContainerNode() && value.isEmpty());
    }

    /**
     * Most sub-tokens (specials, prompt and text) one sequence may hold: the backbone's
     * {@code max_position_embeddings} when the config embeds it, else 512. RoBERTa-family backbones reserve two
     * positions for their padding offset.
     */
    public int positionLimit() {
        return positionLimit(encoderConfig);
    }

    /** {@link #positionLimit()} of a bi-encoder's label encoder: most sub-tokens of one label, specials included. */
    public int labelPositionLimit() {
        return positionLimit(labelsEncoderConfig);
    }

    private static int positionLimit(JsonNode backbone) {
        if (backbone == null || !backbone.path("max_position_embeddings").canConvertToInt()) {
            return DEFAULT_POSITION_LIMIT;
        }
        int positions = backbone.get("max_position_embeddings").asInt();
        boolean robertaOffset = backbone.path("model_type").asText("").contains("roberta");
        return robertaOffset ? positions - 2 : positions;
    }
}
