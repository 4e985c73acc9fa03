package io.glinerspark.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glinerspark.dataset.ConllReader;
import io.glinerspark.dataset.GlinerJsonReader;
import io.glinerspark.dataset.GoldSpan;
import io.glinerspark.dataset.LabelledSentence;
import io.glinerspark.encode.EncodedText;
import io.glinerspark.encode.EncodedWords;
import io.glinerspark.encode.GlinerTokenizer;
import io.glinerspark.encode.PromptEncoder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes NER datasets into training examples with the inference tokenizer, so that the Python trainer never
 * tokenizes on its own. Output folder:
 * <ul>
 *   <li>{@code meta.json}: the tokenizer's special ids around a sequence, the prompt marker ids and the pad id;</li>
 *   <li>{@code labels.json}: sub-token ids of every label name;</li>
 *   <li>{@code <split>.jsonl.gz}: per sentence, the sub-token ids of each word and the gold spans;</li>
 *   <li>{@code check.jsonl}: complete prompt encodings of a few sentences, for the trainer to verify that its
 *       prompt assembly equals {@link PromptEncoder}.</li>
 * </ul>
 * Usage: {@code TrainingDataEncoder --tokenizer tokenizer.json --label-names label_names.json --out DIR
 * --split train --input name=path [--input name=path ...]}; a path ending in {@code .json} is the GLiNER JSON
 * layout, anything else a CoNLL column file.
 */
public final class TrainingDataEncoder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHECKED_SENTENCES = 20;

    private final GlinerTokenizer tokenizer;
    private final PromptEncoder prompts;

    private TrainingDataEncoder(GlinerTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.prompts = new PromptEncoder(tokenizer, "<<ENT>>", "<<SEP>>");
    }

    public static void main(String[] args) throws IOException {
        Path tokenizerJson = null;
        Path labelNames = null;
        Path out = null;
        String split = "train";
        List<String[]> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--tokenizer" -> tokenizerJson = Path.of(required(args[i], value));
                case "--label-names" -> labelNames = Path.of(required(args[i], value));
                case "--out" -> out = Path.of(required(args[i], value));
                case "--split" -> split = required(args[i], value);
                case "--input" -> {
                    String spec = required(args[i], value);
                    int eq = spec.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--input expects name=path, got '" + spec + "'");
                    }
                    inputs.add(new String[]{spec.substring(0, eq), spec.substring(eq + 1)});
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (tokenizerJson == null || labelNames == null || out == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("usage: --tokenizer FILE --label-names FILE --out DIR --split NAME "
                    + "--input name=path [--input ...]");
        }
        try (GlinerTokenizer tokenizer = GlinerTokenizer.load(tokenizerJson)) {
            new TrainingDataEncoder(tokenizer).run(labelNames, out, split, inputs);
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private void run(Path labelNames, Path out, String split, List<String[]> inputs) throws IOException {
        Files.createDirectories(out);
        writeMeta(out.resolve("meta.json"));
        writeLabels(labelNames, out.resolve("labels.json"));
        int sentences = 0;
        List<LabelledSentence> checked = new ArrayList<>();
        Path data = out.resolve(split + ".jsonl.gz");
        try (Writer writer = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(data)), StandardCharsets.UTF_8))) {
            for (String[] input : inputs) {
                Path path = Path.of(input[1]);
                List<LabelledSentence> dataset = path.toString().endsWith(".json")
                        ? GlinerJsonReader.read(path, input[0])
                        : ConllReader.read(path, input[0], Map.of());
                for (int i = 0; i < dataset.size(); i++) {
                    LabelledSentence sentence = dataset.get(i);
                    if (sentence.annotatedTypes().isPresent()) {
                        // the training sampler draws negatives from the whole dataset's types, which for a
                        // partially labelled sentence would teach it that unlabelled mentions are no entities
                        throw new IllegalArgumentException(path + ": sentence " + i + " is partially labelled "
                                + "(\"types\"); training reads only fully labelled sets");
                    }
                    if (sentence.words().isEmpty()) {
                        continue;
                    }
                    writer.write(JSON.writeValueAsString(example(sentence)));
                    writer.write('\n');
                    if (checked.size() < CHECKED_SENTENCES) {
                        checked.add(sentence);
                    }
                }
                sentences += dataset.size();
                System.err.printf("%s: %d sentences from %s%n", input[0], dataset.size(), path);
            }
        }
        writeChecks(out.resolve("check.jsonl"), checked);
        System.err.printf("wrote %d sentences to %s%n", sentences, data);
    }

    private ObjectNode example(LabelledSentence sentence) {
        ObjectNode node = JSON.createObjectNode();
        node.put("dataset", sentence.dataset());
        ArrayNode words = node.putArray("words");
        List<ArrayNode> perWord = new ArrayList<>();
        for (int w = 0; w < sentence.words().size(); w++) {
            perWord.add(words.addArray());
        }
        EncodedWords encoded = tokenizer.encode(sentence.words().toArray(String[]::new));
        for (int i = 0; i < encoded.ids().length; i++) {
            long wordId = encoded.wordIds()[i];
            if (wordId >= 0) {
                perWord.get((int) wordId).add(encoded.ids()[i]);
            }
        }
        ArrayNode spans = node.putArray("spans");
        for (GoldSpan span : sentence.spans()) {
            spans.addArray().add(span.start()).add(span.end()).add(span.type());
        }
        return node;
    }

    private void writeMeta(Path file) throws IOException {
        EncodedWords probe = tokenizer.encode(new String[]{"a"});
        ObjectNode meta = JSON.createObjectNode();
        ArrayNode prefix = meta.putArray("prefix");
        ArrayNode suffix = meta.putArray("suffix");
        boolean seenWord = false;
        for (int i = 0; i < probe.ids().length; i++) {
            if (probe.wordIds()[i] >= 0) {
                seenWord = true;
            } else {
                (seenWord ? suffix : prefix).add(probe.ids()[i]);
            }
        }
        meta.put("ent", tokenizer.tokenId("<<ENT>>"));
        meta.put("sep", tokenizer.tokenId("<<SEP>>"));
        meta.put("pad", tokenizer.padId());
        meta.put("max_width", 12);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), meta);
    }

    private void writeLabels(Path labelNames, Path file) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        JsonNode root = JSON.readTree(labelNames.toFile());
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            names.add(entry.getKey());
            entry.getValue().forEach(synonym -> names.add(synonym.asText()));
        }
        ObjectNode labels = JSON.createObjectNode();
        for (String name : names) {
            ArrayNode ids = labels.putArray(name);
            EncodedWords encoded = tokenizer.encode(new String[]{name});
            for (int i = 0; i < encoded.ids().length; i++) {
                if (encoded.wordIds()[i] >= 0) {
                    ids.add(encoded.ids()[i]);
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException(labelNames + ": label name '" + name + "' yields no sub-token");
            }
        }
        JSON.writeValue(file.toFile(), labels);
    }

    private void writeChecks(Path file, List<LabelledSentence> sentences) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int n = 0; n < sentences.size(); n++) {
                LabelledSentence sentence = sentences.get(n);
                List<String> labels = new ArrayList<>();
                sentence.spans().forEach(span -> {
                    if (!labels.contains(span.type())) {
                        labels.add(span.type());
                    }
                });
                labels.add("person");
                labels.add("date of birth");
                EncodedText encoded = prompts.encode(labels, sentence.words());
                ObjectNode check = JSON.createObjectNode();
                check.putPOJO("labels", labels);
                check.put("words_index", n);
                check.putPOJO("input_ids", encoded.inputIds());
                check.putPOJO("words_mask", encoded.wordsMask());
                writer.write(JSON.writeValueAsString(check));
                writer.write('\n');
            }
        }
    }
}
