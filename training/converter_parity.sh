#!/usr/bin/env bash
# Parity of jobs/convert.sh's output with the reference GLiNER library, on a model that library builds itself:
# training/tiny_reference_model.py makes a small span model with random weights on a local backbone (bert: a cased
# WordPiece BERT; deberta: a DeBERTa-v3-style backbone with a sentencepiece tokenizer; xlmr: an XLM-RoBERTa-style
# multilingual backbone with a sentencepiece tokenizer; bi: a bi-encoder, the bert text backbone with a separate
# uncased BERT labels encoder of another width), saved with GLiNER.save_pretrained; jobs/convert.sh converts that
# folder; then the library's predict_entities and `jobs/gliner.sh extract` on the converted bundle's model.onnx run on
# the same texts of ../shared/data/corpus (bert, deberta, bi: half en_docs, half en_sentences; xlmr: the German,
# Spanish and French multi_sentences, its tokenizer trained on them too; evenly spaced, at most MAX_WORDS words).
# Prints one JSON line on stdout:
# {"backbone", "texts", "identical", "max_score_diff", "entities", "graphs", "cpu_graph", "gpu_graph"} where the
# first figures compare the library with the bundle's float32 graph, and cpu_graph and gpu_graph are the converter's
# own agreements of its int8 CPU graph and float16 GPU graph with the float32 one; for bi also "bi_graphs", the
# converter's logit check of its two float32 graphs against the library's forward pass. Differences are listed on
# stderr.
#
#   training/converter_parity.sh bert|deberta|xlmr|bi
#   env: TEXTS (default 200), LABELS (default person,organization,location,date; for xlmr
#        person,organización,lieu,Datum: labels in the texts' languages, one with a non-ASCII letter, as users of a
#        multilingual model write them, so that the prompt's label pieces come from that vocabulary too), THRESHOLD
#        (default 0.3:
#        random weights score every span near the middle), MAX_WORDS (default 120), DATA (default ../shared/data),
#        OUT (default training/work/converter-parity-BACKBONE), SKIP_INSTALL (1: a missing venv is an error)
set -euo pipefail
cd "$(dirname "$0")/.."
source training/common.sh
backbone="${1:?usage: training/converter_parity.sh bert|deberta|xlmr|bi}"
TEXTS=${TEXTS:-200}
if [ "$backbone" = xlmr ]; then
  LABELS=${LABELS:-person,organización,lieu,Datum}
else
  LABELS=${LABELS:-person,organization,location,date}
fi
THRESHOLD=${THRESHOLD:-0.3}
MAX_WORDS=${MAX_WORDS:-120}
DATA=${DATA:-../shared/data}
OUT=${OUT:-training/work/converter-parity-$backbone}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
py=$(pinned_venv reference)

rm -rf "$OUT"
mkdir -p "$OUT"
if [ "$backbone" = xlmr ]; then
  "$py" training/tiny_reference_model.py "$backbone" "$DATA/corpus/multi_sentences.jsonl" "$OUT" >&2
  python3 training/check_texts.py --max-words "$MAX_WORDS" "$DATA/corpus/multi_sentences.jsonl:$TEXTS" \
    > "$OUT/texts.jsonl"
else
  "$py" training/tiny_reference_model.py "$backbone" "$DATA/corpus/en_sentences.jsonl" "$OUT" >&2
  python3 training/check_texts.py --max-words "$MAX_WORDS" "$DATA/corpus/en_docs.jsonl:$((TEXTS / 2))" \
    "$DATA/corpus/en_sentences.jsonl:$((TEXTS - TEXTS / 2))" > "$OUT/texts.jsonl"
fi
CHECK_TEXTS="$OUT/texts.jsonl" CHECK_LABELS="$LABELS" CHECK_THRESHOLD="$THRESHOLD" VERIFY=0 \
  jobs/convert.sh "$OUT/model" "$OUT/bundle" > "$OUT/convert.txt"
cat "$OUT/convert.txt" >&2
"$py" training/reference_predict.py "$OUT/model" "$OUT/texts.jsonl" "$LABELS" "$THRESHOLD" > "$OUT/reference.jsonl"
fp32_graph="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["fp32_graph"])' "$OUT/bundle/conversion.json")"
jobs/gliner.sh extract --model "$OUT/bundle" --onnxFile "$fp32_graph" --labels "$LABELS" --threshold "$THRESHOLD" --intraOpThreads 2 \
  < "$OUT/texts.jsonl" > "$OUT/ours.jsonl"
figures="$(python3 training/parity_compare.py "$OUT/reference.jsonl" "$OUT/ours.jsonl")"
python3 - "$backbone" "$figures" "$OUT/bundle/conversion.json" <<'PY'
import json, sys
backbone, figures, conversion = sys.argv[1], json.loads(sys.argv[2]), json.load(open(sys.argv[3]))
checks = {a["check"]: a for a in conversion["agreement"]}
line = {"backbone": backbone, **figures, "graphs": conversion["graphs"], "cpu_graph": checks.get("cpu"),
        "gpu_graph": checks.get("gpu")}
if "bi_encoder_check" in conversion:
    line["bi_graphs"] = conversion["bi_encoder_check"]
print(json.dumps(line))
PY
