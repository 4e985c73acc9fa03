#!/usr/bin/env bash
# Builds everything the GPU run carries in training/work/: encoder.npz (from the Maven artifact) and
# train_pack.npz (every training set encoded by the Java engine, then packed).
# Held out, never read here: every test split, CoNLL-2003 dev/test, WNUT-17 dev/test, every dataset named in
# training/holdout.json (the zero-shot proxy, whole sets); and never CrossNER, MIT or WikiNEuRal.
# GUM, AnEM, SEC-filings and wikigold ship a single file, used whole for training.
# usage (repo root): training/prepare_data.sh     env: DATA (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
install_debian_python
PY=$(training_python)
DATA=${DATA:-../shared/data}
NER="$DATA/ner"
ensure_encoder "$PY"

inputs=(
  "conll2003=$NER/conll2003-gliner-json/train.json"
  "wnut17=$NER/wnut17/wnut17train.conll"
  "wikiann-en=$NER/wikiann-en/train.conllu"
  "btc=$NER/BTC/CONLL-format/data/a.conll"
  "btc=$NER/BTC/CONLL-format/data/f.conll"
  "wikigold=$NER/wikigold/CONLL-format/data/wikigold.conll.txt"
  "gum=$NER/GUM/CONLL-format/data/test/gum-test.conll"
  "sec-filings=$NER/SEC-filings/CONLL-format/data/test/FIN3.txt"
  "anem=$NER/AnEM/CONLL-format/data/AnEM.test"
)
holdout=$(python3 -c 'import json; print(" ".join(d["name"] for d in json.load(open("training/holdout.json"))["datasets"]))')
for dir in "$NER"/extra/*/; do
  name=$(basename "$dir")
  if [[ " $holdout " == *" $name "* ]]; then
    echo "held out (training/holdout.json): $name"
    continue
  fi
  if [ -f "$dir/train.json" ]; then
    inputs+=("$name=$dir/train.json")
  else
    inputs+=("$name=$dir/dev.json")
  fi
done

# one Java call per dataset (split name = dataset name), so a reader error in one set is reported and the
# others still encode; the Java tool rewrites meta.json/labels.json identically each time
rm -rf training/work/encoded training/work/encode-logs
mkdir -p training/work/encode-logs
failed=()
for name in $(printf '%s\n' "${inputs[@]}" | cut -d= -f1 | uniq); do
  specs=()
  for spec in "${inputs[@]}"; do [ "${spec%%=*}" = "$name" ] && specs+=("$spec"); done
  if encode_with_java training/work/encoded "$name" "${specs[@]}" 2>training/work/encode-logs/$name.log \
      && "$PY" training/test_encoding.py training/work/encoded --split "$name"; then
    tail -1 training/work/encode-logs/$name.log
  else
    failed+=("$name")
    rm -f "training/work/encoded/$name.jsonl.gz"
    echo "NOT ENCODED: $name ($(grep -m1 -i exception training/work/encode-logs/$name.log))"
  fi
done
"$PY" training/pack_data.py training/work/encoded --out training/work/train_pack.npz "$@"
du -ch training/work/encoder.npz training/work/train_pack.npz | tail -1
if [ ${#failed[@]} -gt 0 ]; then
  echo "WARNING: datasets missing from the pack (reader errors, see training/work/encode-logs/NAME.log): ${failed[*]}"
  [ -z "${STRICT:-}" ] || exit 1
fi
