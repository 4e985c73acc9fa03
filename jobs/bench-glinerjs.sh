#!/usr/bin/env bash
# Throughput of GLiNER.js (npm `gliner` on onnxruntime-node, versions pinned in jobs/glinerjs/package-lock.json) on
# a JSONL corpus, fully offline; prints one JSON line of figures on stdout, like jobs/bench.sh. Warm-up (model
# load, the first batch) is excluded from the figures; docs_per_cpu_s is the process's user + system time over the
# timed loop.
#
#   jobs/bench-glinerjs.sh --corpus ../shared/data/corpus/en_sentences.jsonl [--limit 500] [--model DIR]
#       [--labels person,organization,location,date] [--threshold 0.5] [--threads 2] [--batch-size 1]
#       [--long-text whole|truncate] [--first-token-id N] [--entities-out FILE]
#
# --model defaults to the float32 graph of the trained weights, built once into training/work/glinerjs/fp32 (see
# jobs/glinerjs/lib.sh); a --model folder needs model.onnx, tokenizer.json, tokenizer_config.json and
# gliner_config.json. jobs/glinerjs/bench.mjs describes the options. The Node packages are installed once with
# `npm ci` into jobs/glinerjs/node_modules (ignored). Needs Node.js 18+ and npm.
set -euo pipefail

GLINER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$GLINER_ROOT/jobs/glinerjs/lib.sh"

args=("$@")
has_model=false
for arg in "$@"; do
  [ "$arg" = "--model" ] && has_model=true
done
[ "$has_model" = true ] || args+=(--model "$(glinerjs_fp32_bundle)")
glinerjs_install
exec node "$GLINER_ROOT/jobs/glinerjs/bench.mjs" "${args[@]}"
