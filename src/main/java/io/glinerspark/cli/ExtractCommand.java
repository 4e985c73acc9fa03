package io.glinerspark.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glinerspark.ExtractionOptions;
import io.glinerspark.ExtractionResult;
import io.glinerspark.ExtractionStats;
import io.glinerspark.GlinerModel;
import io.glinerspark.PerTextLabels;
import io.glinerspark.types.Entity;
import io.glinerspark.types.InferenceException;
import io.glinerspark.types.InvalidLabelsException;
import io.glinerspark.types.LabelSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSONL in, JSONL out: each input line {@code {"id", "text", "labels"?}} gives exactly one output line, in input
 * order, {@code {"id", "entities": [{start, end, text, label, score}]}} or {@code {"id", "error"}}. Lines are read
 * in blocks; within a block, lines that share a label list are extracted in one call so they batch together.
 *
 * <p>A line's {@code "labels"} is an array of labels, which take their descriptions from {@code --labelDescriptions},
 * or an object of label to description, whose descriptions go into the prompt in place of the labels (entities keep
 * the labels), as the reference library's {@code inference} takes a mapping.
 *
 * <p>A bad line (not JSON, no text, unusable labels, a text too long under {@code --longText fail}) gets its error
 * record and the lines after it are still extracted. A failure of the runtime is no line's fault: it stops the
 * command, naming the lines it was extracting, after every earlier line has been written.
 */
final class ExtractCommand {

    static final int BLOCK_LINES = 256;
    private static final long PROGRESS_NANOS = 10_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GlinerModel model;
    private final LabelSet defaultLabels;
    private final Map<String, String> descriptions;
    private final ExtractionOptions options;
    private final PrintStream progress;
    private final ExtractionStats stats = new ExtractionStats();
    private long lines;
    private long errors;
    private long entities;

    /** @param descriptions label to description for the labels of {@code --labels} and of lines' label arrays */
    ExtractCommand(GlinerModel model, List<String> defaultLabels, Map<String, String> descriptions,
                   ExtractionOptions options, PrintStream progress) {
        this.model = model;
        this.defaultLabels = LabelSet.of(defaultLabels, descriptions);
        this.descriptions = descriptions;
        this.options = options;
        this.progress = progress;
    }

    /** One input line: what to extract from, or why it cannot be. */
    private record Request(JsonNode id, String text, LabelSet labels, String error) {
        static Request failed(JsonNode id, String error) {
            return new Request(id, null, null, error);
        }
    }

    void run(BufferedReader in, Writer out) throws IOException {
        long started = System.nanoTime();
        long lastReport = started;
        List<Request> block = new ArrayList<>(BLOCK_LINES);
        String line;
        while ((line = in.readLine()) != null) {
            block.add(parse(lines + block.size() + 1, line));
            if (block.size() == BLOCK_LINES) {
                writeBlock(block, out);
                block.clear();
                if (System.nanoTime() - lastReport > PROGRESS_NANOS) {
                    lastReport = System.nanoTime();
                    report("", started);
                }
            }
        }
        writeBlock(block, out);
        report("done: ", started);
    }

    private Request parse(long lineNumber, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the offending token, a piece of the line: name its place instead.
            return Request.failed(null, "line " + lineNumber + " is not JSON (error at column "
                    + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()) + ")");
        }
        if (node == null || !node.isObject()) {
            return Request.failed(null, "line " + lineNumber + " is not a JSON object");
        }
        JsonNode id = node.get("id");
        JsonNode text = node.get("text");
        if (text == null) {
            return Request.failed(id, "line " + lineNumber + " has no \"text\" field");
        }
        if (!text.isNull() && !text.isTextual()) {
            return Request.failed(id, "line " + lineNumber + ": \"text\" must be a string");
        }
        LabelSet labels = defaultLabels;
        JsonNode givenLabels = node.get("labels");
        String shape = "line " + lineNumber + ": \"labels\" must be an array of strings or an object of label to "
                + "description strings";
        if (givenLabels != null && givenLabels.isObject()) {
            Map<String, String> described = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : givenLabels.properties()) {
                if (!entry.getValue().isTextual()) {
                    return Request.failed(id, shape);
                }
                described.put(entry.getKey(), entry.getValue().asText());
            }
            labels = LabelSet.described(described);
        } else if (givenLabels != null && !givenLabels.isNull()) {
            if (!givenLabels.isArray()) {
                return Request.failed(id, shape);
            }
            List<String> list = new ArrayList<>();
            for (JsonNode label : givenLabels) {
                if (!label.isTextual()) {
                    return Request.failed(id, shape);
                }
                list.add(label.asText());
            }
            labels = LabelSet.of(list, descriptions);
        }
        return new Request(id, text.isNull() ? null : text.asText(), labels, null);
    }

    private void writeBlock(List<Request> block, Writer out) throws IOException {
        List<Integer> extracted = new ArrayList<>(block.size());
        List<String> texts = new ArrayList<>(block.size());
        List<LabelSet> labels = new ArrayList<>(block.size());
        for (int i = 0; i < block.size(); i++) {
            Request request = block.get(i);
            if (request.error() == null) {
                extracted.add(i);
                texts.add(request.text());
                labels.add(request.labels());
            }
        }
        List<ExtractionResult> results;
        try {
            results = PerTextLabels.extractSets(model, texts, labels, options, stats);
        } catch (InferenceException e) {
            throw new InferenceException("stopped at lines " + (lines + 1) + ".." + (lines + block.size())
                    + ", earlier lines are written: " + e.getMessage(), e);
        }
        ObjectNode[] answers = new ObjectNode[block.size()];
        for (int i = 0; i < block.size(); i++) {
            Request request = block.get(i);
            if (request.error() != null) {
                answers[i] = error(request.id(), request.error());
            }
        }
        for (int i = 0; i < extracted.size(); i++) {
            Request request = block.get(extracted.get(i));
            ExtractionResult result = results.get(i);
            // a rejected label list gives every line that carries it the same error
            String message = result.error() instanceof InvalidLabelsException
                    ? "labels " + request.labels() + ": " + result.error().getMessage()
                    : result.failed() ? result.error().getMessage() : null;
            answers[extracted.get(i)] = message != null ? error(request.id(), message)
                    : entities(request.id(), result.entities());
        }
        for (ObjectNode answer : answers) {
            out.write(JSON.writeValueAsString(answer));
            out.write('\n');
        }
        out.flush();
        lines += block.size();
    }

    private ObjectNode entities(JsonNode id, List<Entity> found) {
        ObjectNode answer = JSON.createObjectNode();
        answer.set("id", id == null ? NullNode.getInstance() : id);
        ArrayNode array = answer.putArray("entities");
        for (Entity entity : found) {
            array.addObject()
                    .put("start", entity.start())
                    .put("end", entity.end())
                    .put("text", entity.text())
                    .put("label", entity.label())
                    .put("score", entity.score());
        }
        entities += found.size();
        return answer;
    }

    private ObjectNode error(JsonNode id, String message) {
        ObjectNode answer = JSON.createObjectNode();
        answer.set("id", id == null ? NullNode.getInstance() : id);
        answer.put("error", message);
        errors++;
        return answer;
    }

    private void report(String prefix, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.printf("gliner extract: %s%d lines (%d errors), %d entities, %.1f lines/s, chunked %d, truncated %d,"
                        + " oversized words %d, split label lists %d, %.1f s in ONNX Runtime%n", prefix, lines, errors,
                entities, seconds > 0 ? lines / seconds : 0.0, stats.chunkedDocuments(), stats.truncatedDocuments(),
                stats.oversizedWords(), stats.splitLabelCalls(), stats.ortNanos() / 1e9);
    }
}
