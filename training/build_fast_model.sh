#!/usr/bin/env bash
# Builds the speed variants of the default model from its trained weights (models/default-weights.onnx) and,
# with SHIP=VARIANT, installs one of them as models/default (model.onnx + bundle.txt):
#   1. training/export_factored.py: float32 graph with the span head factored (exact rewrite, reference venv:
#      torch + onnx)
#   2. training/fast_variants.py on it: every variant it knows (fp32, fused, int8 ..., fused-int8-pc-ffn32)
#      (onnx venv: onnxruntime 1.28, the version the Java engine runs)
# and training/fast_variants.py on the unfactored weights too (OUT/plain/...), for comparison.
#
#   training/build_fast_model.sh            env: OUT (default training/work/fast), SHIP (the shipped one: fused-int8-pc-ffn32)
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
OUT=${OUT:-training/work/fast}
torch_py=$(pinned_venv reference)
onnx_py=$(pinned_venv onnx)
rm -rf "$OUT"
weights_bundle "$OUT/weights"
"$torch_py" training/export_factored.py "$OUT/weights" "$OUT/factored-source"
"$onnx_py" training/fast_variants.py "$OUT/factored-source" "$OUT/factored"
"$onnx_py" training/fast_variants.py "$OUT/weights" "$OUT/plain"
if [ -n "${SHIP:-}" ]; then
  [ -f "$OUT/factored/$SHIP/model.onnx" ] || { echo "no variant factored/$SHIP" >&2; exit 1; }
  cp "$OUT/factored/$SHIP/model.onnx" models/default/model.onnx
  # The GPU graph (training/gpu_graph.sh) stays listed: it is built from the same weights, not from the shipped variant.
  (cd models/default && sha256sum gliner_config.json tokenizer.json model.onnx $(ls model.gpu.onnx 2>/dev/null) > bundle.txt)
  echo "models/default/model.onnx <- factored/$SHIP ($(du -h models/default/model.onnx | cut -f1))"
fi
