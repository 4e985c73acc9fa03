package io.glinerspark.settings;

import java.util.Map;

import static java.util.Map.entry;

/**
 * For every registered setting, a valid value other than its default and a value it must reject, with a piece of
 * the message the rejection gives. Front-end tests use them to prove that each front end reads each setting; a
 * setting added to the registry without samples fails {@code SettingsTest}.
 */
public final class SettingSamples {

    /** A rejected value and a fragment of its error message after the setting's name. */
    public record Bad(String value, String message) {
    }

    public static final Map<String, String> GOOD = Map.ofEntries(
            entry("model", "/models/other"), entry("onnxFile", "model_quantized.onnx"), entry("device", "cuda:1"),
            entry("requireDevice", "true"), entry("intraOpThreads", "3"), entry("batchWords", "1000"),
            entry("batchTokens", "500"), entry("rowsPerBlock", "64"), entry("threshold", "0.3"),
            entry("labelThresholds", "person=0.6,a=b=0.2"), entry("flatNer", "false"), entry("multiLabel", "true"),
            entry("tokenScore", "mean"), entry("longText", "truncate"), entry("windowOverlap", "10"),
            entry("labels", "drug, disease"), entry("labelDescriptions", "{\"drug\":\"a medication\"}"),
            entry("input", "/data/in"), entry("inputFormat", "parquet"),
            entry("idColumn", "doc"), entry("textColumns", "title,body"), entry("output", "/data/out"),
            entry("outputTable", "ner"), entry("mode", "append"), entry("incremental", "true"),
            entry("partitionBy", "label"), entry("partitions", "8"), entry("limit", "100"), entry("runId", "r1"),
            entry("streaming", "true"), entry("checkpoint", "/data/checkpoint"), entry("examples", "0"),
            entry("data", "/data/ner"), entry("labelsMap", "PER=person,ORG=organization"), entry("split", "dev"),
            entry("deltaOut", "/data/results"), entry("nested", "true"), entry("corpus", "/data/corpus.jsonl"),
            entry("inputCol", "body"), entry("inputCols", "title,body"), entry("outputCol", "found"),
            entry("outputCols", "title_entities,body_entities"), entry("labelsCol", "row_labels"),
            entry("errorCol", "error"), entry("allowedModelSources", "application,hf://acme/"),
            entry("sqlMaxTextChars", "5000"));

    private static final Bad BLANK = new Bad(" ", "expected a non-empty value");
    private static final Bad BOOLEAN = new Bad("yes", "expected true or false, got 'yes'");

    public static final Map<String, Bad> BAD = Map.ofEntries(
            entry("model", BLANK), entry("onnxFile", BLANK),
            entry("device", new Bad("gpu", "expected auto, cpu, cuda or cuda:N, got 'gpu'")),
            entry("requireDevice", BOOLEAN),
            entry("intraOpThreads", new Bad("257", "257 is above the upper bound 256")),
            entry("batchWords", new Bad("4194305", "4194305 is above the upper bound 4194304")),
            entry("batchTokens", new Bad("1048577", "1048577 is above the upper bound 1048576")),
            entry("rowsPerBlock", new Bad("65537", "65537 is above the upper bound 65536")),
            entry("threshold", new Bad("1.5", "expected a number in [0, 1), got '1.5'")),
            entry("labelThresholds", new Bad("person", "expected entries of the form label=threshold, got 'person'")),
            entry("flatNer", BOOLEAN), entry("multiLabel", BOOLEAN),
            entry("tokenScore", new Bad("max", "expected one of min, mean, got 'max'")),
            entry("longText", new Bad("split", "expected one of chunk, truncate, fail, got 'split'")),
            entry("windowOverlap", new Bad("-1", "expected an integer >= 0, got '-1'")),
            entry("labels", new Bad(",", "expected a comma-separated list, got ''")),
            entry("input", BLANK),
            entry("inputFormat", new Bad("xml", "expected one of auto, jsonl, json, parquet, csv, text, delta, table")),
            entry("idColumn", BLANK), entry("textColumns", new Bad(" , ", "expected a comma-separated list")),
            entry("output", BLANK), entry("outputTable", BLANK),
            entry("mode", new Bad("upsert", "expected one of append, merge, overwrite, got 'upsert'")),
            entry("incremental", BOOLEAN), entry("partitionBy", new Bad(",", "expected a comma-separated list")),
            entry("partitions", new Bad("0", "expected an integer > 0, got '0'")),
            entry("limit", new Bad("many", "expected an integer, got 'many'")), entry("runId", BLANK),
            entry("streaming", BOOLEAN), entry("checkpoint", BLANK),
            entry("examples", new Bad("-2", "expected an integer >= 0, got '-2'")),
            entry("data", BLANK), entry("labelsMap", new Bad("PER", "expected TYPE=prompt, got 'PER'")),
            entry("split", BLANK), entry("deltaOut", BLANK), entry("nested", BOOLEAN), entry("corpus", BLANK),
            entry("inputCol", BLANK), entry("inputCols", new Bad(",", "expected a comma-separated list")),
            entry("outputCol", BLANK), entry("outputCols", new Bad(",", "expected a comma-separated list")),
            entry("labelsCol", BLANK), entry("errorCol", BLANK),
            entry("labelDescriptions", new Bad("[\"drug\"]", "expected a JSON object")),
            entry("allowedModelSources", new Bad(",", "expected a comma-separated list")),
            entry("sqlMaxTextChars", new Bad("0", "expected an integer > 0, got '0'")));

    private SettingSamples() {
    }
}
