// Throughput of GLiNER.js (npm `gliner`, node build, on onnxruntime-node) on a JSONL corpus, fully offline, and
// optionally its entities per text. Progress goes to stderr, one JSON line of figures to stdout.
//
//   node jobs/glinerjs/bench.mjs --model DIR --corpus FILE.jsonl [--limit N] [--labels a,b] [--threshold 0.5]
//       [--threads 2] [--batch-size 1] [--long-text whole|truncate] [--warmup-batches 1] [--first-token-id N]
//       [--entities-out FILE]
//
// DIR holds model.onnx, tokenizer.json, tokenizer_config.json (transformers.js needs the latter) and
// gliner_config.json (max_width, max_len). Texts are given to GLiNER.js in corpus order, --batch-size per call,
// with flat decoding and one label per span. A call that throws counts each of its texts in "errors" (with
// --entities-out, an "error" line): GLiNER.js 0.0.19 throws on a text without words and on one beyond the
// encoder's positions. --long-text: `whole` gives every text as it is (GLiNER.js has no long-text handling);
// `truncate` gives each text cut after the words the engine's longText=truncate reads (at most max_len words and
// the sub-tokens the positions leave beside the label prompt), so both sides read the same first window.
// GLiNER.js starts every sequence with input id 1 (DeBERTa's [CLS]) whatever the tokenizer; --first-token-id
// replaces it (101 is BERT's [CLS]), to tell that difference from others when comparing entities.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import * as ort from "onnxruntime-node";
import { env } from "@xenova/transformers";
import { Gliner } from "gliner/node";

const OPTIONS = {
  model: null,
  corpus: null,
  limit: Infinity,
  labels: "person,organization,location,date",
  threshold: 0.5,
  threads: 2,
  "batch-size": 1,
  "long-text": "whole",
  "warmup-batches": 1,
  "first-token-id": null,
  "entities-out": null,
};

function parseArgs(argv) {
  const options = { ...OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, "");
    if (!argv[i].startsWith("--") || !(name in OPTIONS)) {
      throw new Error(`unknown option ${argv[i]}; options: ${Object.keys(OPTIONS).map((o) => "--" + o).join(" ")}`);
    }
    if (i + 1 >= argv.length) {
      throw new Error(`option --${name} needs a value`);
    }
    options[name] = argv[++i];
  }
  for (const required of ["model", "corpus"]) {
    if (!options[required]) {
      throw new Error(`--${required} is required`);
    }
  }
  for (const name of ["limit", "threads", "batch-size", "warmup-batches"]) {
    const value = Number(options[name]);
    if (!(value === Infinity || (Number.isInteger(value) && value >= (name === "warmup-batches" ? 0 : 1)))) {
      throw new Error(`--${name} must be a positive integer, got ${options[name]}`);
    }
    options[name] = value;
  }
  if (options["first-token-id"] !== null) {
    const id = Number(options["first-token-id"]);
    if (!(Number.isInteger(id) && id >= 0)) {
      throw new Error(`--first-token-id must be a token id, got ${options["first-token-id"]}`);
    }
    options["first-token-id"] = id;
  }
  options.threshold = Number(options.threshold);
  if (!(options.threshold >= 0 && options.threshold <= 1)) {
    throw new Error(`--threshold must be within [0, 1]`);
  }
  if (!["whole", "truncate"].includes(options["long-text"])) {
    throw new Error(`--long-text must be whole or truncate, got ${options["long-text"]}`);
  }
  options.labels = options.labels.split(",").map((label) => label.trim()).filter((label) => label);
  return options;
}

async function readCorpus(file, limit) {
  const rows = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    if (rows.length >= limit) {
      break;
    }
    number++;
    let row;
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file} line ${number} is not JSON: ${error.message}`);
    }
    if (typeof row.text !== "string") {
      throw new Error(`${file} line ${number} has no "text" string`);
    }
    rows.push({ id: row.id ?? String(number), text: row.text });
  }
  lines.close();
  return rows;
}

// GLiNER.js creates its onnxruntime-node session without options (runtime defaults); the comparison runs both
// sides with the same fixed thread count, so the session gets it here.
function pinSessionThreads(threads) {
  const create = ort.InferenceSession.create.bind(ort.InferenceSession);
  ort.InferenceSession.create = (model, options = {}) =>
    create(model, { ...options, intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential",
      graphOptimizationLevel: "all" });
}

// The words of `text` that the engine's truncate policy would read, as GLiNER.js splits and tokenizes them: at most
// maxLen words, and [CLS] + prompt + [SEP] + words within the encoder's positions.
function truncatedText(text, processor, labels, maxLen, positions) {
  const [words, , ends] = processor.tokenizeText(text);
  const promptTokens = labels.reduce((sum, label) => sum + 1 + processor.tokenizer.encode(label).length - 2, 1);
  let tokens = 2 + promptTokens;
  let kept = 0;
  while (kept < words.length && kept < maxLen) {
    const count = processor.tokenizer.encode(words[kept]).length - 2;
    if (tokens + count > positions) {
      break;
    }
    tokens += count;
    kept++;
  }
  return kept === words.length ? text : text.slice(0, kept === 0 ? 0 : ends[kept - 1]);
}

// GLiNER.js offsets are UTF-16 indices; the engine's are code points.
function codePointOffset(text, utf16Index) {
  let count = 0;
  for (let i = 0; i < utf16Index; i++) {
    const unit = text.charCodeAt(i);
    if (!(unit >= 0xdc00 && unit <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) {
      count++;
    }
  }
  return count;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const modelDir = path.resolve(options.model);
  for (const file of ["model.onnx", "tokenizer.json", "tokenizer_config.json", "gliner_config.json"]) {
    if (!fs.existsSync(path.join(modelDir, file))) {
      throw new Error(`${path.join(modelDir, file)} is missing`);
    }
  }
  const config = JSON.parse(fs.readFileSync(path.join(modelDir, "gliner_config.json"), "utf8"));
  const rows = await readCorpus(options.corpus, options.limit);
  process.stderr.write(`glinerjs bench: ${rows.length} documents from ${options.corpus}\n`);

  // Local files only: transformers.js reads <localModelPath>/<tokenizerPath>/tokenizer*.json, never the hub.
  env.allowRemoteModels = false;
  env.useFSCache = false;
  env.localModelPath = path.dirname(modelDir) + "/";
  pinSessionThreads(options.threads);
  const loadStarted = performance.now();
  const gliner = new Gliner({
    tokenizerPath: path.basename(modelDir),
    onnxSettings: { modelPath: path.join(modelDir, "model.onnx") },
    transformersSettings: { allowLocalModels: true, useBrowserCache: false },
    maxWidth: config.max_width,
    modelType: "span-level",
  });
  await gliner.initialize();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const processor = gliner.model.processor;
  const firstTokenId = options["first-token-id"];
  if (firstTokenId !== null) {
    const encodeInputs = processor.encodeInputs.bind(processor);
    processor.encodeInputs = (...args) => {
      const encoded = encodeInputs(...args);
      encoded[0].forEach((ids) => { ids[0] = firstTokenId; });
      return encoded;
    };
  }
  let texts = rows.map((row) => row.text);
  let truncated = 0;
  if (options["long-text"] === "truncate") {
    const positions = processor.tokenizer.model_max_length;
    texts = texts.map((text) => truncatedText(text, processor, options.labels, config.max_len, positions));
    truncated = texts.filter((text, i) => text.length !== rows[i].text.length).length;
  }
  const batches = [];
  for (let from = 0; from < texts.length; from += options["batch-size"]) {
    batches.push({ from, texts: texts.slice(from, from + options["batch-size"]) });
  }
  const infer = (batch) => gliner.inference({ texts: batch, entities: options.labels, flatNer: true,
    threshold: options.threshold, multiLabel: false });

  for (const batch of batches.slice(0, options["warmup-batches"])) {
    await infer(batch.texts).catch(() => null);
  }

  const results = new Array(texts.length).fill(null);
  const errors = [];
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  for (const batch of batches) {
    try {
      const entities = await infer(batch.texts);
      entities.forEach((list, i) => { results[batch.from + i] = list; });
    } catch (error) {
      for (let i = 0; i < batch.texts.length; i++) {
        errors.push({ index: batch.from + i, id: rows[batch.from + i].id, error: String(error.message ?? error) });
      }
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const done = results.filter((list) => list !== null);
  const entities = done.reduce((sum, list) => sum + list.length, 0);
  if (options["entities-out"]) {
    const out = fs.createWriteStream(options["entities-out"], "utf8");
    rows.forEach((row, i) => {
      const failed = errors.find((e) => e.index === i);
      const line = failed ? { id: row.id, error: failed.error } : {
        id: row.id,
        entities: results[i].map((e) => ({ text: e.spanText, label: e.label, start: codePointOffset(row.text, e.start),
          end: codePointOffset(row.text, e.end), score: e.score })),
      };
      out.write(JSON.stringify(line) + "\n");
    });
    await new Promise((resolve) => out.end(resolve));
  }
  for (const error of errors.slice(0, 3)) {
    process.stderr.write(`glinerjs bench: text ${error.id} failed: ${error.error.split("\n")[0]}\n`);
  }
  const round = (value) => Math.round(value * 1000) / 1000;
  console.log(JSON.stringify({
    engine: "glinerjs",
    docs: texts.length,
    entities,
    errors: errors.length,
    wall_s: round(wallSeconds),
    docs_per_s: round(texts.length / wallSeconds),
    cpu_s: round(cpuSeconds),
    docs_per_cpu_s: round(texts.length / cpuSeconds),
    settings: {
      model: modelDir,
      labels: options.labels,
      threshold: options.threshold,
      threads: options.threads,
      batch_size: options["batch-size"],
      long_text: options["long-text"],
      first_token_id: firstTokenId ?? 1,
      truncated_docs: truncated,
      warmup_batches: Math.min(options["warmup-batches"], batches.length),
      corpus: options.corpus,
      limit: options.limit === Infinity ? null : options.limit,
      load_s: round(loadSeconds),
      gliner: JSON.parse(fs.readFileSync(new URL("./node_modules/gliner/package.json", import.meta.url))).version,
      onnxruntime_node: JSON.parse(fs.readFileSync(new URL("./node_modules/onnxruntime-node/package.json", import.meta.url))).version,
      node: process.version,
    },
  }));
}

main().catch((error) => {
  process.stderr.write(`glinerjs bench: ${error.message}\n`);
  process.exit(1);
});
