#!/usr/bin/env bash
# Converts a model of the reference GLiNER library into a bundle the engine loads from any model source.
#
#   jobs/convert.sh SOURCE OUT
#
# SOURCE is the folder GLiNER.save_pretrained writes (gliner_config.json, pytorch_model.bin or model.safetensors,
# tokenizer files) or hf://owner/name[@revision] (downloaded with huggingface_hub). OUT receives:
#   gliner_config.json  as the library writes it
#   tokenizer.json      the library's fast tokenizer with GLiNER's added tokens, no truncation or padding
#   model.onnx          the CPU graph: CPU_VARIANT of training/fast_variants.py (int8) when it agrees with the
#                       float32 graph on the check texts (identical entities on MIN_AGREEMENT of them, scores within
#                       MAX_SCORE_DIFF), else the float32 graph itself
#   model.fp32.onnx     the float32 graph of the library's own ONNX export, when model.onnx is the int8 one
#   model.gpu.onnx      the float16 GPU graph (training/gpu_graph.py, which CUDA sessions load), when it agrees
#                       with the float32 graph as the CPU graph must
#   labels_encoder.onnx, labels_tokenizer.json
#                       only for a bi-encoder (gliner_config.json labels_encoder set): its labels encoder graph
#                       (float32; labels -> labels_embeddings) and that encoder's tokenizer; the graphs above are
#                       then text graphs that take labels_embeddings. Before any engine run, the float32 graphs'
#                       logits are compared with the library's own forward on the check texts
#                       (training/bi_encoder_check.py); a difference above 1e-3 fails the conversion
#   conversion.json     source, check texts and every agreement; bundle.txt: SHA-256 of each file above
# Each graph's agreement is printed on stdout. Models the engine cannot run (label decoders, relation heads,
# Python-only word splitters, ...) are refused with exit status 4 and a message naming the gliner_config.json field.
#
# env: CHECK_TEXTS (JSONL with "id" and "text"; default jobs/sample/docs.jsonl), CHECK_LABELS (default
#      person,organization,location,date), CHECK_THRESHOLD (default 0.5), MIN_AGREEMENT (default 0.99),
#      MAX_SCORE_DIFF (default 0.05), CPU_VARIANT (default fused-int8-pc; "none" skips the CPU graph),
#      GPU_GRAPH (default 1; 0 skips the GPU graph), VERIFY (default 1: also compare the float32 graph in the
#      engine with the library's own predict_entities on the check texts), SKIP_INSTALL (1: a missing venv is an error)
#
# Python runs in two pinned venvs made on first use (training/common.sh pinned_venv): training/work/venv-reference
# (torch, gliner: the export) and training/work/venv-onnx (onnx, onnxruntime: the CPU graph). Folder sources are
# converted offline (HF_HUB_OFFLINE=1).
set -euo pipefail

if [ $# -ne 2 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  [ $# -eq 2 ] && exit 0 || exit 2
fi
source_arg="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$source_arg" in
  hf://*) ;;
  *) [ -d "$source_arg" ] || { echo "convert: $source_arg is neither a folder nor hf://owner/name" >&2; exit 2; }
     source_dir="$(cd "$source_arg" && pwd)"
     # The refusals need no venv: a model the engine cannot run is refused before anything is installed or written.
     python3 "$root/training/convert_reference.py" check "$source_dir"
     export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ;;
esac
check_texts="$(realpath "${CHECK_TEXTS:-$root/jobs/sample/docs.jsonl}")"
mkdir -p "$2"
out="$(cd "$2" && pwd)"

cd "$root"
source training/common.sh
CHECK_LABELS=${CHECK_LABELS:-person,organization,location,date}
CHECK_THRESHOLD=${CHECK_THRESHOLD:-0.5}
MIN_AGREEMENT=${MIN_AGREEMENT:-0.99}
MAX_SCORE_DIFF=${MAX_SCORE_DIFF:-0.05}
CPU_VARIANT=${CPU_VARIANT:-fused-int8-pc}
GPU_GRAPH=${GPU_GRAPH:-1}
VERIFY=${VERIFY:-1}

py_reference="$(pinned_venv reference)"
if [ -z "${source_dir:-}" ]; then
  source_dir="$("$py_reference" training/convert_reference.py resolve "$source_arg")"
  python3 training/convert_reference.py check "$source_dir"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/gliner-convert.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "convert: exporting $source_arg with the reference library" >&2
"$py_reference" training/convert_reference.py export "$source_dir" "$work/fp32" >&2

python3 training/check_texts.py "$check_texts" > "$work/texts.jsonl"
[ -s "$work/texts.jsonl" ] || { echo "convert: $check_texts holds no usable check text" >&2; exit 2; }

bi_check=null
if [ -f "$work/fp32/labels_encoder.onnx" ]; then
  # The split into two graphs is ours, not the library's: its logits are checked against the library's forward
  # pass before anything else runs them.
  py_onnx="$(pinned_venv onnx)"
  "$py_reference" training/bi_encoder_check.py reference "$source_dir" "$work/fp32" "$work/texts.jsonl" \
    "$CHECK_LABELS" "$work/bi.npz" 2> "$work/bi.log" || { cat "$work/bi.log" >&2; exit 1; }
  if ! bi_check="$("$py_onnx" training/bi_encoder_check.py onnx "$work/fp32" "$work/bi.npz")"; then
    echo "convert: the bi-encoder graphs differ from the reference library's forward pass: $bi_check" >&2
    exit 1
  fi
  echo "bi-encoder graphs vs the reference library's forward pass: $bi_check"
fi

extract() {  # extract BUNDLE ONNX_FILE OUT_JSONL
  jobs/gliner.sh extract --model "$1" --onnxFile "$2" --labels "$CHECK_LABELS" --threshold "$CHECK_THRESHOLD" \
    --intraOpThreads 2 < "$work/texts.jsonl" > "$3"
}
results=()
# compare KEY DESCRIPTION REFERENCE.jsonl OURS.jsonl: prints the agreement on stdout, records it, and succeeds when
# it is within MIN_AGREEMENT and MAX_SCORE_DIFF (the differing texts are left in $work/KEY.diff)
compare() {
  local figures line
  figures="$(python3 training/parity_compare.py "$3" "$4" 2> "$work/$1.diff")"
  line="$(python3 - "$1" "$2" "$figures" "$MIN_AGREEMENT" "$MAX_SCORE_DIFF" <<'PY'
import json, sys
key, name, figures = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
min_agreement, max_diff = float(sys.argv[4]), float(sys.argv[5])
figures["agrees"] = (figures["identical"] >= min_agreement * figures["texts"]
                     and figures["max_score_diff"] <= max_diff)
print(json.dumps({"check": key, "graph": name, **figures}))
PY
)"
  results+=("$line")
  python3 - "$line" <<'PY'
import json, sys
f = json.loads(sys.argv[1])
print(f"{f['graph']}: identical entities on {f['identical']}/{f['texts']} check texts, max score diff "
      f"{f['max_score_diff']:.2g} over {f['entities']} entities")
sys.exit(0 if f["agrees"] else 1)
PY
}

extract "$work/fp32" model.onnx "$work/fp32.jsonl"
if [ "$VERIFY" = 1 ]; then
  REFERENCE_STRICT=0 "$py_reference" training/reference_predict.py "$source_dir" "$work/texts.jsonl" "$CHECK_LABELS" \
    "$CHECK_THRESHOLD" > "$work/reference.jsonl"
  if ! compare reference "float32 vs the reference library" "$work/reference.jsonl" "$work/fp32.jsonl"; then
    cat "$work/reference.diff" >&2
    echo "convert: warning: the float32 graph in the engine differs from the reference library's predict_entities" >&2
  fi
fi

cpu_graph="$work/fp32/model.onnx"
fp32_name=model.onnx
if [ "$CPU_VARIANT" != none ]; then
  py_onnx="$(pinned_venv onnx)"
  read -r heads hidden < <(python3 training/convert_reference.py backbone "$work/fp32")
  "$py_onnx" training/fast_variants.py "$work/fp32" "$work/variants" --variants "$CPU_VARIANT" \
    --num-heads "$heads" --hidden-size "$hidden" >&2
  extract "$work/variants/$CPU_VARIANT" model.onnx "$work/cpu.jsonl"
  if compare cpu "$CPU_VARIANT vs float32" "$work/fp32.jsonl" "$work/cpu.jsonl"; then
    cpu_graph="$work/variants/$CPU_VARIANT/model.onnx"
    fp32_name=model.fp32.onnx
    echo "  -> model.onnx is the $CPU_VARIANT graph, model.fp32.onnx the float32 one"
  else
    echo "  -> below MIN_AGREEMENT=$MIN_AGREEMENT or above MAX_SCORE_DIFF=$MAX_SCORE_DIFF: model.onnx stays float32"
  fi
fi

if [ "$GPU_GRAPH" = 1 ]; then
  py_onnx="$(pinned_venv onnx)"
  "$py_onnx" training/gpu_graph.py "$work/fp32" "$work/gpu/model.gpu.onnx" >&2
  # The float16 graph runs on ONNX Runtime's CPU provider too (slowly): its entities are checked like the CPU
  # graph's. A graph that does not load there is kept unchecked, as it is built for CUDA.
  cp "$work/fp32/gliner_config.json" "$work/fp32/tokenizer.json" "$work/gpu/"
  [ ! -f "$work/fp32/labels_encoder.onnx" ] || cp "$work/fp32/labels_encoder.onnx" "$work/fp32/labels_tokenizer.json" \
    "$work/gpu/"
  if extract "$work/gpu" model.gpu.onnx "$work/gpu.jsonl" 2> "$work/gpu.log"; then
    if compare gpu "float16 GPU graph vs float32" "$work/fp32.jsonl" "$work/gpu.jsonl"; then
      echo "  -> model.gpu.onnx"
    else
      echo "  -> below MIN_AGREEMENT=$MIN_AGREEMENT or above MAX_SCORE_DIFF=$MAX_SCORE_DIFF: no model.gpu.onnx (CUDA runs model.onnx)"
      rm "$work/gpu/model.gpu.onnx"
    fi
  else
    echo "float16 GPU graph: does not run on the CPU, kept unchecked as model.gpu.onnx ($(tail -1 "$work/gpu.log"))"
  fi
fi

rm -f "$out"/{gliner_config.json,tokenizer.json,model.onnx,model.fp32.onnx,model.gpu.onnx,bundle.txt,conversion.json}
rm -f "$out"/{labels_encoder.onnx,labels_tokenizer.json}
cp "$work/fp32/gliner_config.json" "$work/fp32/tokenizer.json" "$out/"
[ ! -f "$work/fp32/labels_encoder.onnx" ] || cp "$work/fp32/labels_encoder.onnx" "$work/fp32/labels_tokenizer.json" \
  "$out/"
cp "$cpu_graph" "$out/model.onnx"
[ "$fp32_name" = model.onnx ] || cp "$work/fp32/model.onnx" "$out/$fp32_name"
[ ! -f "$work/gpu/model.gpu.onnx" ] || cp "$work/gpu/model.gpu.onnx" "$out/model.gpu.onnx"

python3 - "$out" "$source_arg" "$check_texts" "$CHECK_LABELS" "$CHECK_THRESHOLD" "$fp32_name" "$CPU_VARIANT" \
  "$bi_check" "${results[@]}" <<'PY'
import hashlib, json, os, sys
out, source, texts, labels, threshold, fp32_name, variant, bi_check, *results = sys.argv[1:]
files = [f for f in ("gliner_config.json", "tokenizer.json", "model.onnx", "model.fp32.onnx", "model.gpu.onnx",
                     "labels_encoder.onnx", "labels_tokenizer.json")
         if os.path.isfile(os.path.join(out, f))]
graphs = {"model.onnx": variant if fp32_name != "model.onnx" else "fp32"}
if fp32_name != "model.onnx":
    graphs[fp32_name] = "fp32"
if "model.gpu.onnx" in files:
    graphs["model.gpu.onnx"] = "fp16"
with open(os.path.join(out, "conversion.json"), "w") as f:
    conversion = {"source": source, "graphs": graphs, "fp32_graph": fp32_name, "check_texts": texts,
                  "check_labels": labels.split(","), "check_threshold": float(threshold),
                  "agreement": [json.loads(r) for r in results]}
    if bi_check != "null":
        conversion["labels_encoder"] = "labels_encoder.onnx"
        conversion["bi_encoder_check"] = json.loads(bi_check)
    json.dump(conversion, f, indent=1)
with open(os.path.join(out, "bundle.txt"), "w") as f:
    for name in files + ["conversion.json"]:
        with open(os.path.join(out, name), "rb") as g:
            f.write(f"{hashlib.sha256(g.read()).hexdigest()}  {name}\n")
PY
echo "convert: wrote $out ($(cd "$out" && ls | tr '\n' ' '))" >&2
