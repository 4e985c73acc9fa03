#!/usr/bin/env bash
# CI smoke run of the whole model-building path on a handful of sentences, on CPU, in a few minutes:
# Java encoding -> prompt-assembly check against Java -> pack -> a few training steps -> ONNX bundle.
# Installs and downloads nothing: it needs Debian's python3-torch, python3-onnx and python3-numpy and the MiniLM
# artifact in the local Maven repository (training/fetch_inputs.sh provides all of them).
# Leaves the bundle in training/work/smoke/bundle (model.onnx, tokenizer.json, gliner_config.json) for a Java
# test to load. usage (repo root): training/smoke.sh     env: DATA (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
PY=$(training_python) || { echo "no python3 with torch and numpy: run training/fetch_inputs.sh" >&2; exit 3; }
NO_DOWNLOAD=1
DATA=${DATA:-../shared/data}
SMOKE=training/work/smoke
start=$(date +%s)
ensure_encoder "$PY"
rm -rf "$SMOKE"
mkdir -p "$SMOKE/input"

# a few sentences of three layouts: GLiNER JSON, token-TAB-tag CoNLL, and a diverse-type set
"$PY" - "$DATA" "$SMOKE/input" <<'PYTHON'
import json, sys
data, out = sys.argv[1], sys.argv[2]
for name, path in [("conll2003", "ner/conll2003-gliner-json/train.json"), ("atis", "ner/extra/atis/train.json")]:
    with open(f"{data}/{path}", encoding="utf-8") as f:
        sentences = json.load(f)[:24]
    with open(f"{out}/{name}.json", "w", encoding="utf-8") as f:
        json.dump(sentences, f)
lines, sentences = [], 0
with open(f"{data}/ner/wnut17/wnut17train.conll", encoding="utf-8") as f:
    for line in f:
        lines.append(line)
        sentences += not line.strip()
        if sentences == 24:
            break
with open(f"{out}/wnut17.conll", "w", encoding="utf-8") as f:
    f.writelines(lines)
PYTHON

encode_with_java "$SMOKE/encoded" train conll2003="$SMOKE/input/conll2003.json" wnut17="$SMOKE/input/wnut17.conll" \
  atis="$SMOKE/input/atis.json"
"$PY" training/test_encoding.py "$SMOKE/encoded"
"$PY" training/pack_data.py "$SMOKE/encoded" --out "$SMOKE/pack.npz"
"$PY" training/train.py --pack "$SMOKE/pack.npz" --encoder training/work/encoder.npz --work "$SMOKE/checkpoint" \
  --out "$SMOKE/weights" --fresh --minutes 10 --max-steps 3 --batch-size 4 --threads 2 --preflight-steps 3 \
  --checkpoint-minutes 0
"$PY" training/export_onnx.py "$SMOKE/weights" "$SMOKE/bundle" --backbone-tokenizer training/work/backbone-tokenizer.json
ls -l "$SMOKE/bundle"
echo "smoke run done in $(( $(date +%s) - start )) s"
