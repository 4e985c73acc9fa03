#!/usr/bin/env bash
# The extraction job against its engine: jobs/extract.sh (Spark, Delta writes included) and jobs/bench.sh (the engine
# alone) on the same documents, model, labels and threads, alternating for --rounds rounds so that a busy machine
# slows both alike; then the sample job (jobs/extract.sh without options, 31 documents) for its fixed cost.
#
#   jobs/bench-job.sh [--docs 1000] [--rounds 2] [--corpus ../shared/data/corpus/en_docs.jsonl] [--model default]
#       [--labels person,organization,location,date,product] [--threads 2]
#
# The job runs locally on --threads cores (local[N], one ONNX Runtime thread per task); the engine runs one
# session with --threads intra-op threads. Each job run writes new tables. Figures: the engine's documents/s (its
# extraction loop), the job's documents/s over its run (reading, extraction and Delta writes; the session start and
# the model's preparation left out), the share of that run spent writing Delta, and the time from the Spark session's
# start to the summary. Prints a table on stdout; the jobs' summaries go to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
docs=1000
rounds=2
corpus="$root/../shared/data/corpus/en_docs.jsonl"
model=default
labels="person,organization,location,date,product"
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    --labels) labels="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "bench-job: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -f "$corpus" ] || { echo "bench-job: no corpus $corpus (see ../shared/data/README.md)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
head -n "$docs" "$corpus" > "$work/input.jsonl"
count=$(wc -l < "$work/input.jsonl")

# Figures of a job summary on stdin: "DOCS_PER_S DELTA_SECONDS RUN_SECONDS SINCE_SESSION_SECONDS".
summary_figures() {
  awk '/^  documents  [0-9]+ written/ { run = $8; rate = $10 }
       /^  time       / { since = $2; delta = $(NF - 3) }
       END { if (rate == "") exit 1; print rate, delta, run, since }'
}

export GLINER_SUBMIT_ARGS="--master local[$threads] --conf spark.gliner.intraOpThreads=1"
engine=()
job=()
for round in $(seq 1 "$rounds"); do
  line=$("$root/jobs/bench.sh" --model "$model" --corpus "$work/input.jsonl" --labels "$labels" \
    --intraOpThreads "$threads" 2>/dev/null)
  engine+=("$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["docs_per_s"])' "$line")")
  "$root/jobs/extract.sh" --input "$work/input.jsonl" --output "$work/out-$round" --model "$model" \
    --labels "$labels" > "$work/job-$round.log" 2>/dev/null
  cat "$work/job-$round.log" >&2
  job+=("$(summary_figures < "$work/job-$round.log")")
done
(cd "$work" && "$root/jobs/extract.sh" > "$work/sample.log" 2>/dev/null)
cat "$work/sample.log" >&2
sample="$(summary_figures < "$work/sample.log")"

printf '%s\n' "documents: $count of $corpus; model $model; labels $labels; $threads threads"
printf '%-6s %14s %14s %7s %13s %15s\n' round "engine docs/s" "job docs/s" ratio "Delta share" "since session"
for i in $(seq 0 $((rounds - 1))); do
  read -r rate delta run since <<< "${job[$i]}"
  awk -v r="$((i + 1))" -v e="${engine[$i]}" -v j="$rate" -v d="$delta" -v t="$run" -v s="$since" \
    'BEGIN { printf "%-6s %14.2f %14.2f %6.2fx %12.0f%% %14.1fs\n", r, e, j, j / e, 100 * d / t, s }'
done
read -r rate delta run since <<< "$sample"
awk -v d="$delta" -v t="$run" -v s="$since" \
  'BEGIN { printf "sample job (31 documents): %.1f s since the Spark session started, run %.1f s, Delta share %.0f%%\n", s, t, 100 * d / t }'
