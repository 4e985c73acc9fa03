#!/usr/bin/env bash
# Builds a bundle's GPU graph (float16, for ONNX Runtime's CUDA provider) with training/gpu_graph.py in the pinned
# onnx venv (onnxruntime 1.28, the version the Java engine runs):
#   training/gpu_graph.sh IN_BUNDLE OUT_ONNX   IN_BUNDLE holds a float32 model.onnx, tokenizer.json, gliner_config.json
#   training/gpu_graph.sh                      the default model: models/default/model.gpu.onnx from the trained weights
#                                              (models/default-weights.onnx), and models/default/bundle.txt listing it
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
onnx_py=$(pinned_venv onnx)
if [ $# -eq 2 ]; then
  exec "$onnx_py" training/gpu_graph.py "$1" "$2"
fi
[ $# -eq 0 ] || { echo "usage: training/gpu_graph.sh [IN_BUNDLE OUT_ONNX]" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
weights_bundle "$work/weights"
"$onnx_py" training/gpu_graph.py "$work/weights" models/default/model.gpu.onnx
(cd models/default && sha256sum gliner_config.json tokenizer.json model.onnx model.gpu.onnx > bundle.txt)
echo "models/default/model.gpu.onnx: $(du -h models/default/model.gpu.onnx | cut -f1)"
