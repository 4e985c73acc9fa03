#!/usr/bin/env bash
# Our engine against GLiNER.js on the same texts and settings (4 labels, threshold 0.5, flat, --threads intra-op
# threads): jobs/bench.sh on the shipped model (models/default) and on the float32 graph of the same weights that
# GLiNER.js runs (training/work/glinerjs/fp32), and jobs/bench-glinerjs.sh, back to back and alternated for
# --rounds rounds so that a busy machine slows every side alike.
#
# Sentences (en_sentences.jsonl) fit the model window. Documents (en_docs.jsonl) do not all: GLiNER.js has no
# long-text handling (a text beyond the encoder's 512 positions fails its call), so it gets each document cut
# to the first window, and our engine runs with --longText truncate for the like-for-like figures and, for the
# shipped model, also with its default --longText chunk (every word read, in overlapping windows).
#
# Figures per run: wall-clock documents/s (each tool's own: model load and, for GLiNER.js, a warm-up batch left
# out) and documents per CPU-second (GLiNER.js: its timed loop; ours, as jobs/bench-models.sh does: the process's
# user + system time minus that of a one-document run of the same model). Prints one JSON line per run, then,
# per corpus and side, the best and worst of the rounds and the ratios of our best to GLiNER.js's best (a table
# on stderr, one JSON line on stdout).
#
# Before timing, unless --agreement-texts 0, the entities of both sides on the float32 graph are compared on the
# first N texts of each corpus (training/parity_compare.py: a text is identical when both give the same
# (start, end, text, label) set), with GLiNER.js as published and with its first input id set to the
# tokenizer's [CLS] (it always puts id 1 there); the differences go to training/work/glinerjs/agreement/.
#
#   jobs/bench-compare.sh [--rounds 2] [--threads 2] [--labels person,organization,location,date]
#       [--sentences-limit 500] [--docs-limit 100] [--batch-size 1] [--agreement-texts 100]
set -euo pipefail

GLINER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$GLINER_ROOT"
source "$root/jobs/glinerjs/lib.sh"
source "$root/jobs/lib.sh"
rounds=2
threads=2
labels="person,organization,location,date"
sentences_limit=500
docs_limit=100
batch_size=1
agreement_texts=100
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --labels) labels="$2"; shift 2 ;;
    --sentences-limit) sentences_limit="$2"; shift 2 ;;
    --docs-limit) docs_limit="$2"; shift 2 ;;
    --batch-size) batch_size="$2"; shift 2 ;;
    --agreement-texts) agreement_texts="$2"; shift 2 ;;
    *) echo "bench-compare: unknown option $1" >&2; exit 2 ;;
  esac
done

corpus_dir="$root/../shared/data/corpus"
for file in en_sentences.jsonl en_docs.jsonl; do
  [ -f "$corpus_dir/$file" ] || { echo "bench-compare: $corpus_dir/$file is missing" >&2; exit 1; }
done
fp32="$(glinerjs_fp32_bundle)"
glinerjs_install
work="$root/training/work/glinerjs"

# run_ours MODEL CORPUS LIMIT LONG_TEXT: the bench's JSON line, then the process's user + system seconds
run_ours() {
  gliner_timed_bench --model "$1" --corpus "$corpus_dir/en_$2.jsonl" --limit "$3" --labels "$labels" \
    --intraOpThreads "$threads" --longText "$4"
}

# run_glinerjs CORPUS LIMIT LONG_TEXT [more options]: the harness's JSON line
run_glinerjs() {
  local corpus="$1" limit="$2" long_text="$3"
  shift 3
  node "$root/jobs/glinerjs/bench.mjs" --model "$fp32" --corpus "$corpus_dir/en_$corpus.jsonl" --limit "$limit" \
    --labels "$labels" --threads "$threads" --batch-size "$batch_size" --long-text "$long_text" "$@" 2>/dev/null
}

long_text_of() { [ "$1" = docs ] && echo truncate || echo whole; }

if [ "$agreement_texts" -gt 0 ]; then
  mkdir -p "$work/agreement"
  for corpus in sentences docs; do
    out="$work/agreement/$corpus"
    head -n "$agreement_texts" "$corpus_dir/en_$corpus.jsonl" > "$out.texts.jsonl"
    ours_long_text=chunk
    [ "$corpus" = docs ] && ours_long_text=truncate
    "$root/jobs/gliner.sh" extract --model "$fp32" --labels "$labels" --intraOpThreads "$threads" \
      --longText "$ours_long_text" < "$out.texts.jsonl" > "$out.ours.jsonl" 2>/dev/null
    run_glinerjs "$corpus" "$agreement_texts" "$(long_text_of "$corpus")" --entities-out "$out.glinerjs.jsonl" >/dev/null
    run_glinerjs "$corpus" "$agreement_texts" "$(long_text_of "$corpus")" --first-token-id 101 \
      --entities-out "$out.glinerjs-cls.jsonl" >/dev/null
    published="$(python3 "$root/training/parity_compare.py" "$out.glinerjs.jsonl" "$out.ours.jsonl" \
      2> "$out.differences.txt")"
    corrected="$(python3 "$root/training/parity_compare.py" "$out.glinerjs-cls.jsonl" "$out.ours.jsonl" \
      2> "$out.differences-cls.txt")"
    python3 -c 'import json, sys
published, corrected = json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(json.dumps({"agreement": sys.argv[1], "texts": published["texts"], "identical": published["identical"],
                  "identical_with_cls": corrected["identical"], "max_score_diff": published["max_score_diff"],
                  "max_score_diff_with_cls": corrected["max_score_diff"], "entities_glinerjs": published["entities"],
                  "differences": sys.argv[4]}))' "$corpus" "$published" "$corrected" "$work/agreement"
  done
fi

# our runs per corpus: side, model, --long-text
ours_runs() {
  if [ "$1" = docs ]; then
    printf '%s\n' "ours-shipped default chunk" "ours-shipped default truncate" "ours-fp32 $fp32 truncate"
  else
    printf '%s\n' "ours-shipped default chunk" "ours-fp32 $fp32 chunk"
  fi
}

declare -A startup_cpu
for corpus in sentences docs; do
  while read -r side model long_text; do
    startup_cpu["$corpus|$model|$long_text"]="$(run_ours "$model" "$corpus" 1 "$long_text" | tail -1)"
  done < <(ours_runs "$corpus")
done

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for round in $(seq 1 "$rounds"); do
  for corpus in sentences docs; do
    limit="$sentences_limit"
    [ "$corpus" = docs ] && limit="$docs_limit"
    mapfile -t runs < <(ours_runs "$corpus")
    for run in "${runs[@]}" glinerjs; do
      read -r side model long_text <<< "$run"
      if [ "$side" = glinerjs ]; then
        run_glinerjs "$corpus" "$limit" "$(long_text_of "$corpus")" | python3 -c '
import json, sys
bench = json.loads(sys.stdin.read())
print(json.dumps({"round": int(sys.argv[1]), "corpus": sys.argv[2], "side": "glinerjs", "long_text": sys.argv[3],
                  "docs": bench["docs"], "entities": bench["entities"], "errors": bench["errors"],
                  "truncated_docs": bench["settings"]["truncated_docs"], "docs_per_s": bench["docs_per_s"],
                  "cpu_s": bench["cpu_s"], "docs_per_cpu_s": bench["docs_per_cpu_s"]}))
' "$round" "$corpus" "$(long_text_of "$corpus")" | tee -a "$results"
      else
        output="$(run_ours "$model" "$corpus" "$limit" "$long_text")"
        python3 -c '
import json, sys
line, cpu = sys.argv[1].splitlines()
bench, cpu, startup = json.loads(line), float(cpu), float(sys.argv[2])
settings = bench["settings"]
print(json.dumps({"round": int(sys.argv[3]), "corpus": sys.argv[4], "side": sys.argv[5], "long_text": sys.argv[6],
                  "docs": bench["docs"], "entities": bench["entities"], "errors": bench["errors"],
                  "truncated_docs": settings["truncated_docs"], "chunked_docs": settings["chunked_docs"],
                  "docs_per_s": bench["docs_per_s"], "cpu_s": round(cpu, 2), "startup_cpu_s": startup,
                  "docs_per_cpu_s": round((bench["docs"] - 1) / (cpu - startup), 3)}))
' "$output" "${startup_cpu["$corpus|$model|$long_text"]}" "$round" "$corpus" "$side" "$long_text" | tee -a "$results"
      fi
    done
  done
done

python3 - "$results" <<'EOF'
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
groups = {}
for run in runs:
    groups.setdefault((run["corpus"], run["side"], run["long_text"]), []).append(run)
print(f"{'corpus':10} {'side':13} {'long text':9} {'docs/s best':>11} {'worst':>7} {'x js':>6} "
      f"{'docs/cpu-s best':>15} {'worst':>7} {'x js':>6} {'entities':>8}", file=sys.stderr)
summary = []
for (corpus, side, long_text), group in groups.items():
    js = groups[(corpus, "glinerjs", "truncate" if corpus == "docs" else "whole")]
    best_wall, best_cpu = max(r["docs_per_s"] for r in group), max(r["docs_per_cpu_s"] for r in group)
    js_wall, js_cpu = max(r["docs_per_s"] for r in js), max(r["docs_per_cpu_s"] for r in js)
    row = {"corpus": corpus, "side": side, "long_text": long_text, "runs": len(group),
           "docs_per_s": [min(r["docs_per_s"] for r in group), best_wall],
           "docs_per_cpu_s": [min(r["docs_per_cpu_s"] for r in group), best_cpu],
           "x_glinerjs_wall": round(best_wall / js_wall, 2), "x_glinerjs_cpu": round(best_cpu / js_cpu, 2),
           "entities": group[0]["entities"]}
    summary.append(row)
    print(f"{corpus:10} {side:13} {long_text:9} {best_wall:11.2f} {row['docs_per_s'][0]:7.2f} "
          f"{row['x_glinerjs_wall']:6.2f} {best_cpu:15.2f} {row['docs_per_cpu_s'][0]:7.2f} "
          f"{row['x_glinerjs_cpu']:6.2f} {row['entities']:8d}", file=sys.stderr)
print(json.dumps({"summary": summary}))
EOF
