#!/usr/bin/env bash
# Installs and downloads what the model-building tools and their smoke test need, so that the tools' tests run
# offline: Debian's torch, onnx and numpy, and the MiniLM encoder artifact in the local Maven repository.
# usage (repo root): training/fetch_inputs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
install_debian_python
[ -f "$MINILM_JAR" ] || fetch_minilm
