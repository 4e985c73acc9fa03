#!/usr/bin/env bash
# The one GPU training command. Run from the repo root on the GPU machine, with training/work/encoder.npz and
# training/work/train_pack.npz carried there (training/prepare_data.sh builds both; ~53 MB together).
# Writes to $OUT: weights-NN.npz (fp16, each < 15 MB), train_stats.json, train.log.
# env: OUT (required), MINUTES (training budget, default 7), BATCH (default 64), EXTRA (more train.py options)
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
: "${OUT:?set OUT to the output folder}"
MINUTES=${MINUTES:-7}
BATCH=${BATCH:-64}
export PYTHONUNBUFFERED=1
mkdir -p "$OUT"
for f in training/work/encoder.npz training/work/train_pack.npz; do
  [ -f "$f" ] || { echo "missing $f: run training/prepare_data.sh here and carry training/work/encoder.npz and training/work/train_pack.npz" >&2; exit 2; }
done
PY=$(training_python) || { echo "no python3 with torch and numpy found" >&2; exit 2; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader || true
# checkpoints go to a folder that never exists on the machine that prepared the data, so nothing stale resumes
# unless this same machine ran before (then the run continues where it stopped, within the same budget)
"$PY" training/train.py --pack training/work/train_pack.npz --encoder training/work/encoder.npz \
  --work training/work/gpu-checkpoint --out "$OUT" --minutes "$MINUTES" --batch-size "$BATCH" ${EXTRA:-} 2>&1 \
  | tee "$OUT/train.log"
ls -l "$OUT"
