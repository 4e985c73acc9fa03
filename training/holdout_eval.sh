#!/usr/bin/env bash
# The zero-shot proxy: scores a model on the held-out datasets of training/holdout.json, each with its own
# labels.json as prompts, and prints jobs/evaluate.sh's table (stderr) and JSON line (stdout); its "average" is
# the plain mean of the datasets' F1, the proxy figure.
#
# Each set is cut to `limit` sentences (holdout.json; override with LIMIT=N, 0 = all) taken evenly across the
# file, not its first N, so one document or topic cannot dominate. The cut copies (deterministic) go to a
# temporary folder under training/work/, removed afterwards, so several models can be scored at once.
#
#   training/holdout_eval.sh MODEL [more jobs/evaluate.sh options]      env: DATA (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: training/holdout_eval.sh MODEL [evaluate options]" >&2; exit 2; }
model="$1"
shift
DATA=${DATA:-../shared/data}
mkdir -p training/work
out="$(mktemp -d training/work/holdout-eval.XXXXXX)"
trap 'rm -rf "$out"' EXIT
python3 - "$DATA/ner/extra" "$out" "${LIMIT:-}" <<'PY'
import json, os, sys
extra, out, limit_override = sys.argv[1], sys.argv[2], sys.argv[3]
with open("training/holdout.json") as f:
    holdout = json.load(f)
limit = int(limit_override) if limit_override else holdout["limit"]
for entry in holdout["datasets"]:
    source = os.path.join(extra, entry["name"])
    path = os.path.join(source, entry["file"])
    if not os.path.isfile(path):
        sys.exit(f"holdout dataset {entry['name']}: {path} is missing")
    with open(path, encoding="utf-8") as f:
        sentences = json.load(f)
    if limit and len(sentences) > limit:
        step = len(sentences) / limit
        sentences = [sentences[int(i * step)] for i in range(limit)]
    target = os.path.join(out, entry["name"])
    os.makedirs(target)
    with open(os.path.join(target, "test.json"), "w", encoding="utf-8") as f:
        json.dump(sentences, f, ensure_ascii=False)
    with open(os.path.join(source, "labels.json"), encoding="utf-8") as f, \
            open(os.path.join(target, "labels.json"), "w", encoding="utf-8") as g:
        g.write(f.read())
    print(f"holdout {entry['name']} ({entry['domain']}): {len(sentences)} sentences of {entry['file']}",
          file=sys.stderr)
PY
jobs/evaluate.sh --data "$out" --model "$model" "$@"
