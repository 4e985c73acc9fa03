#!/usr/bin/env bash
# Our engine against the reference Python library on the same model and texts. The reference runs its batched
# `inference` on the model folder (training/reference_bench.py: batch 8, 2 torch threads, in the pinned venv
# training/work/venv-reference); our engine runs jobs/bench.sh on the bundle jobs/convert.sh made of that folder,
# once with its float32 graph and once with its CPU graph (model.onnx: the optimised one when the converter kept it),
# 2 intra-op threads. Sides alternate for --rounds rounds, so that a busy machine slows every side alike.
#
# Texts: sentences (en_sentences.jsonl) and documents (en_docs.jsonl) of at most --max-words words (neither side
# windows them), picked evenly by training/check_texts.py. Labels: person, organization, location, date; for a
# bi-encoder also each count of --many, the first type names of ../shared/data/ner/extra/nuner-sample/labels.json.
#
# Figures per run: documents/s (wall clock of the extraction loop, model load left out) and documents per
# CPU-second. The reference's CPU time is that of its timed loop; ours is the process's user + system time minus
# that of a one-document run of the same graph with the 4 labels (JVM start, model load), so a long label list's
# encoding counts against it.
#
#   jobs/bench-reference.sh [--rounds 2] [--sentences 500] [--docs 200] [--max-words 350] [--threads 2]
#       [--many 100,1000] MODEL_DIR BUNDLE_DIR
#
# Prints one JSON line per run on stdout, then a table on stderr: for each corpus and label count the best round of
# each side, with the ratios optimised / float32 and ours / reference (per second and per CPU-second).
set -euo pipefail

GLINER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$GLINER_ROOT"
source "$root/jobs/lib.sh"
rounds=2
sentences=500
docs=200
max_words=350
threads=2
many="100,1000"
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --sentences) sentences="$2"; shift 2 ;;
    --docs) docs="$2"; shift 2 ;;
    --max-words) max_words="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --many) many="$2"; shift 2 ;;
    -*) echo "bench-reference: unknown option $1" >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -eq 2 ] || { echo "usage: jobs/bench-reference.sh [options] MODEL_DIR BUNDLE_DIR" >&2; exit 2; }
model_dir="$(cd "${positional[0]}" && pwd)"
bundle="$(cd "${positional[1]}" && pwd)"
data="$root/../shared/data"
for file in corpus/en_sentences.jsonl corpus/en_docs.jsonl ner/extra/nuner-sample/labels.json; do
  [ -f "$data/$file" ] || { echo "bench-reference: $data/$file is missing" >&2; exit 1; }
done

cd "$root"
source training/common.sh
py_reference="$(pinned_venv reference)"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
gliner_ensure_built

work="$(mktemp -d "${TMPDIR:-/tmp}/gliner-bench-reference.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python3 training/check_texts.py --max-words "$max_words" "$data/corpus/en_sentences.jsonl:$sentences" \
  > "$work/sentences.jsonl"
python3 training/check_texts.py --max-words "$max_words" "$data/corpus/en_docs.jsonl:$docs" > "$work/docs.jsonl"
printf '%s\n' person organization location date > "$work/labels-4.txt"
label_counts=(4)
if python3 -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1])).get("labels_encoder") else 1)' \
    "$bundle/gliner_config.json"; then
  IFS=, read -r -a extra <<< "$many"
  for count in "${extra[@]}"; do
    python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))[:int(sys.argv[2])]))' \
      "$data/ner/extra/nuner-sample/labels.json" "$count" > "$work/labels-$count.txt"
    label_counts+=("$count")
  done
fi
fp32_graph="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["fp32_graph"])' \
  "$bundle/conversion.json")"
graphs=("$fp32_graph")
[ "$fp32_graph" = model.onnx ] || graphs+=(model.onnx)

# ours GRAPH CORPUS LABELS_FILE: the bench's JSON line, then the process's user + system seconds
ours() {
  gliner_timed_bench --model "$bundle" --onnxFile "$1" --corpus "$work/$2.jsonl" --intraOpThreads "$threads" \
    --labels "$(paste -sd, "$3")" --limit "${4:-1000000}"
}

declare -A startup
for corpus in sentences docs; do
  for graph in "${graphs[@]}"; do
    startup["$corpus|$graph"]="$(ours "$graph" "$corpus" "$work/labels-4.txt" 1 | tail -1)"
  done
done

results="$work/results.jsonl"
for round in $(seq 1 "$rounds"); do
  for corpus in sentences docs; do
    for count in "${label_counts[@]}"; do
      labels_file="$work/labels-$count.txt"
      line="$("$py_reference" training/reference_bench.py "$model_dir" "$work/$corpus.jsonl" "$labels_file" \
        --batch 8 --threads "$threads")"
      python3 -c '
import json, sys
run = json.loads(sys.argv[1])
print(json.dumps({"round": int(sys.argv[2]), "corpus": sys.argv[3], "labels": int(sys.argv[4]), "side": "reference",
                  "docs": run["docs"], "entities": run["entities"], "docs_per_s": run["docs_per_s"],
                  "docs_per_cpu_s": run["docs_per_cpu_s"]}))' "$line" "$round" "$corpus" "$count" | tee -a "$results"
      for graph in "${graphs[@]}"; do
        output="$(ours "$graph" "$corpus" "$labels_file")"
        gliner_bench_record "$output" "${startup["$corpus|$graph"]}" \
          "{\"round\": $round, \"corpus\": \"$corpus\", \"labels\": $count, \"side\": \"$graph\"}" \
          | tee -a "$results"
      done
    done
  done
done

python3 - "$results" "$fp32_graph" <<'EOF'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
fp32 = sys.argv[2]
best = {}
for run in runs:
    key = (run["corpus"], run["labels"], run["side"])
    held = best.setdefault(key, dict(run))
    held["docs_per_s"] = max(held["docs_per_s"], run["docs_per_s"])
    held["docs_per_cpu_s"] = max(held["docs_per_cpu_s"], run["docs_per_cpu_s"])
print(f"{'corpus':10} {'labels':>6} {'side':18} {'docs/s':>8} {'x ref':>6} {'docs/cpu-s':>10} {'x ref':>6} "
      f"{'x fp32':>6} {'entities':>8}", file=sys.stderr)
for (corpus, labels, side), run in best.items():
    ref = best[(corpus, labels, "reference")]
    ours_fp32 = best.get((corpus, labels, fp32))
    vs_fp32 = "" if side == "reference" or ours_fp32 is None else \
        f"{run['docs_per_cpu_s'] / ours_fp32['docs_per_cpu_s']:6.2f}"
    print(f"{corpus:10} {labels:6d} {side:18} {run['docs_per_s']:8.2f} {run['docs_per_s'] / ref['docs_per_s']:6.2f} "
          f"{run['docs_per_cpu_s']:10.3f} {run['docs_per_cpu_s'] / ref['docs_per_cpu_s']:6.2f} {vs_fp32:>6} "
          f"{run['entities']:8d}", file=sys.stderr)
EOF
