package io.glinerspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glinerspark.ExtractionOptions;
import io.glinerspark.ExtractionResult;
import io.glinerspark.ExtractionStats;
import io.glinerspark.GlinerModel;
import io.glinerspark.ModelInfo;
import io.glinerspark.ModelOptions;
import io.glinerspark.settings.SettingValues;
import io.glinerspark.settings.Settings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput of the whole engine (splitting, tokenizing, batching, graph, decoding) on a JSONL corpus, against the
 * time spent inside ONNX Runtime. Progress goes to stderr, one JSON line of results to stdout.
 */
final class BenchCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchCommand() {
    }

    static void run(SettingValues given, PrintStream out, PrintStream progress) throws IOException {
        String corpus = given.get(Settings.CORPUS);
        Integer givenLimit = given.get(Settings.LIMIT);
        int limit = givenLimit != null ? givenLimit : Integer.MAX_VALUE;
        List<String> labels = given.get(Settings.LABELS);
        ModelOptions modelOptions = given.localModelOptions();
        ExtractionOptions options = given.extractionOptions();
        List<String> texts = readTexts(Path.of(corpus), limit);
        progress.printf("gliner bench: %d documents from %s%n", texts.size(), corpus);

        long loadStarted = System.nanoTime();
        try (GlinerModel model = GlinerModel.load(modelOptions)) {
            double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
            ExtractionStats stats = new ExtractionStats();
            long entities = 0;
            long errors = 0;
            long started = System.nanoTime();
            long lastReport = started;
            for (int from = 0; from < texts.size(); from += ExtractCommand.BLOCK_LINES) {
                List<String> block = texts.subList(from, Math.min(texts.size(), from + ExtractCommand.BLOCK_LINES));
                for (ExtractionResult result : model.extractEach(block, labels, options, stats)) {
                    entities += result.entities().size();
                    errors += result.failed() ? 1 : 0;
                }
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.printf("gliner bench: %d / %d documents, %.1f docs/s%n", stats.documents(),
                            texts.size(), stats.documents() / ((lastReport - started) / 1e9));
                }
            }
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            double ortSeconds = stats.ortNanos() / 1e9;

            ObjectNode result = JSON.createObjectNode();
            result.put("docs", stats.documents());
            result.put("words", stats.words());
            result.put("tokens", stats.tokens());
            result.put("entities", entities);
            result.put("errors", errors);
            result.put("wall_s", round(wallSeconds));
            result.put("docs_per_s", round(stats.documents() / wallSeconds));
            result.put("words_per_s", round(stats.words() / wallSeconds));
            result.put("ort_s", round(ortSeconds));
            result.put("overhead", ortSeconds > 0 ? round(wallSeconds / ortSeconds) : null);
            result.put("peak_heap_mb", peakHeapMegabytes());
            ObjectNode settings = result.putObject("settings");
            ModelInfo info = model.info();
            settings.put("model", info.source());
            settings.put("fixture", info.fixture());
            settings.put("span_mode", info.spanMode());
            settings.put("onnx_file", info.onnxFile());
            settings.put("device", info.device());
            settings.put("threads", modelOptions.intraOpThreads());
            ModelOptions budgets = modelOptions.withBudgetsFor(info.device().startsWith("cuda"));
            settings.put("batch_words", budgets.batchWords());
            settings.put("batch_tokens", budgets.batchTokens());
            settings.putPOJO("labels", labels);
            settings.put("threshold", options.threshold());
            settings.put("long_text", Settings.LONG_TEXT.format(options.longText()));
            settings.put("corpus", corpus);
            settings.put("limit", limit == Integer.MAX_VALUE ? null : limit);
            settings.put("windows", stats.windows());
            settings.put("batches", stats.batches());
            settings.put("padded_tokens", stats.paddedTokens());
            settings.put("chunked_docs", stats.chunkedDocuments());
            settings.put("truncated_docs", stats.truncatedDocuments());
            settings.put("oversized_words", stats.oversizedWords());
            settings.put("split_label_calls", stats.splitLabelCalls());
            settings.put("load_s", round(loadSeconds));
            settings.put("cpus", Runtime.getRuntime().availableProcessors());
            settings.put("java", System.getProperty("java.version"));
            out.println(JSON.writeValueAsString(result));
        }
    }

    private static List<String> readTexts(Path corpus, int limit) throws IOException {
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while (texts.size() < limit && (line = reader.readLine()) != null) {
                number++;
                JsonNode text = JSON.readTree(line).get("text");
                if (text == null || !text.isTextual()) {
                    throw new IllegalArgumentException(corpus + " line " + number + " has no \"text\" string");
                }
                texts.add(text.asText());
            }
        }
        return texts;
    }

    private static long peakHeapMegabytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
