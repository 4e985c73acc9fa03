#!/usr/bin/env bash
# Parity of our engine with the reference GLiNER library on real texts. From the trained weights of the default
# model (models/default-weights.onnx, or the graph of a bundle given as argument) it writes the float32 bundle of
# those weights (training/fast_variants.py fp32) and the library's own layout (training/reference_layout.py);
# runs the library's predict_entities offline on texts of ../shared/data/corpus (half en_docs, half
# en_sentences, evenly spaced, at most MAX_WORDS words so neither side windows or truncates); runs
# `jobs/gliner.sh extract` on the same texts with the float32 bundle (the exact comparison) and, unless
# SHIPPED=0, with the shipped models/default; prints one JSON line on stdout:
# {"texts", "identical", "max_score_diff", "entities"} of the float32 comparison, plus "shipped_identical" and
# "shipped_max_score_diff" for models/default. Differences are listed on stderr.
#
#   training/reference_parity.sh [BUNDLE_DIR]
#   env: TEXTS (default 240), LABELS (default person,organization,location,date), MAX_WORDS (default 300),
#        SHIPPED (default 1), DATA (default ../shared/data), OUT (default training/work/parity),
#        DESCRIPTIONS (default none: a JSON object of label to description, e.g. {"person": "name of a human"};
#        the library gets the mapping of every label to its description, our side --labelDescriptions)
#
# The reference side runs in training/work/venv-reference, made from training/requirements-reference.txt
# (exact versions, PyPI) on first use; with SKIP_INSTALL=1 a missing venv is an error instead (exit 3).
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
TEXTS=${TEXTS:-240}
LABELS=${LABELS:-person,organization,location,date}
MAX_WORDS=${MAX_WORDS:-300}
DATA=${DATA:-../shared/data}
OUT=${OUT:-training/work/parity}
SHIPPED=${SHIPPED:-1}
DESCRIPTIONS=${DESCRIPTIONS:-}
described=()
[ -n "$DESCRIPTIONS" ] && described=(--labelDescriptions "$DESCRIPTIONS")
py=$(pinned_venv reference)

mkdir -p "$OUT"
if [ $# -ge 1 ]; then
  bundle="$1"
  [ -f "$bundle/model.onnx" ] || { echo "reference_parity: no model.onnx in $bundle" >&2; exit 1; }
else
  bundle="$OUT/weights"
  weights_bundle "$bundle"
fi
"$py" training/fast_variants.py "$bundle" "$OUT" --variants fp32 >&2
"$py" training/reference_layout.py "$bundle" "$OUT/reference-model" >&2
python3 training/check_texts.py --max-words "$MAX_WORDS" "$DATA/corpus/en_docs.jsonl:$((TEXTS / 2))" \
  "$DATA/corpus/en_sentences.jsonl:$((TEXTS - TEXTS / 2))" > "$OUT/texts.jsonl"
HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$py" training/reference_predict.py "$OUT/reference-model" \
  "$OUT/texts.jsonl" "$LABELS" 0.5 "$DESCRIPTIONS" > "$OUT/reference.jsonl"
jobs/gliner.sh extract --model "$OUT/fp32" --labels "$LABELS" "${described[@]}" --intraOpThreads 2 \
  < "$OUT/texts.jsonl" > "$OUT/ours-fp32.jsonl"
exact="$(python3 training/parity_compare.py "$OUT/reference.jsonl" "$OUT/ours-fp32.jsonl")"
if [ "$SHIPPED" = 1 ]; then
  jobs/gliner.sh extract --model models/default --labels "$LABELS" "${described[@]}" --intraOpThreads 2 \
    < "$OUT/texts.jsonl" > "$OUT/ours-shipped.jsonl"
  echo "--- the shipped models/default:" >&2
  shipped="$(python3 training/parity_compare.py "$OUT/reference.jsonl" "$OUT/ours-shipped.jsonl")"
  python3 -c 'import json, sys
exact, shipped = json.loads(sys.argv[1]), json.loads(sys.argv[2])
exact.update(shipped_identical=shipped["identical"], shipped_max_score_diff=shipped["max_score_diff"])
print(json.dumps(exact))' "$exact" "$shipped"
else
  echo "$exact"
fi
