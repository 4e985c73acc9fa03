#!/usr/bin/env bash
# Compares the throughput of several model bundles with jobs/bench.sh, run back to back and alternated so that
# a busy machine slows every model alike. For each round, corpus and model: wall-clock documents/s (the bench's
# own figure) and documents per CPU-second (user + system time of the process, which other processes on the
# machine disturb much less than the wall clock), net of start-up: the CPU time of a one-document run of the same
# model (JVM, model load, first batch) is subtracted. Prints one JSON line per run, then the best round of each
# model and its ratio to the first model.
#
#   jobs/bench-models.sh [--rounds 2] [--intraOpThreads 2] [--labels person,organization,location,date] \
#       [--sentences-limit 500] [--docs-limit 100] BUNDLE_DIR...
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/jobs/lib.sh"
rounds=2
threads=2
labels="person,organization,location,date"
sentences_limit=500
docs_limit=100
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --intraOpThreads) threads="$2"; shift 2 ;;
    --labels) labels="$2"; shift 2 ;;
    --sentences-limit) sentences_limit="$2"; shift 2 ;;
    --docs-limit) docs_limit="$2"; shift 2 ;;
    -*) echo "bench-models: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
[ ${#models[@]} -gt 0 ] || { echo "usage: jobs/bench-models.sh [options] BUNDLE_DIR..." >&2; exit 2; }

corpus_dir="$root/../shared/data/corpus"
for file in en_sentences.jsonl en_docs.jsonl; do
  [ -f "$corpus_dir/$file" ] || { echo "bench-models: $corpus_dir/$file is missing" >&2; exit 1; }
done

# bench_cpu MODEL CORPUS LIMIT: the bench's JSON line, then the process's user + system seconds
bench_cpu() {
  gliner_timed_bench --model "$1" --corpus "$corpus_dir/en_$2.jsonl" --limit "$3" --labels "$labels" \
    --intraOpThreads "$threads"
}

declare -A startup_cpu
for corpus in sentences docs; do
  for model in "${models[@]}"; do
    startup_cpu["$corpus|$model"]="$(bench_cpu "$model" "$corpus" 1 | tail -1)"
  done
done

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for round in $(seq 1 "$rounds"); do
  for corpus in sentences docs; do
    limit="$sentences_limit"
    [ "$corpus" = docs ] && limit="$docs_limit"
    for model in "${models[@]}"; do
      output="$(bench_cpu "$model" "$corpus" "$limit")"
      gliner_bench_record "$output" "${startup_cpu["$corpus|$model"]}" \
        "{\"round\": $round, \"corpus\": \"$corpus\", \"model\": \"$model\"}" | tee -a "$results"
    done
  done
done

python3 - "$results" "${models[0]}" <<'EOF'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
first = sys.argv[2]
best = {}
for run in runs:
    key = (run["corpus"], run["model"])
    if key not in best or run["docs_per_s"] > best[key]["docs_per_s"]:
        best[key] = dict(run, best_cpu=max(run["docs_per_cpu_s"], best.get(key, {}).get("best_cpu", 0)))
    else:
        best[key]["best_cpu"] = max(best[key]["best_cpu"], run["docs_per_cpu_s"])
print(f"{'corpus':10} {'model':45} {'docs/s':>8} {'ratio':>6} {'docs/cpu-s':>10} {'ratio':>6} {'entities':>8}",
      file=sys.stderr)
for (corpus, model), run in best.items():
    base = best[(corpus, first)]
    print(f"{corpus:10} {model:45} {run['docs_per_s']:8.2f} {run['docs_per_s'] / base['docs_per_s']:6.2f} "
          f"{run['best_cpu']:10.3f} {run['best_cpu'] / base['best_cpu']:6.2f} {run['entities']:8d}", file=sys.stderr)
EOF
