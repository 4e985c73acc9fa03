# Shared by jobs/bench-glinerjs.sh and jobs/bench-compare.sh (source it; GLINER_ROOT is the repository root).

# The float32 graph of the trained weights (models/default-weights.onnx with its int8/fp16 storage folded back
# to float32 initializers: the standard GLiNER export layout), built once with the project's own tools into an
# ignored folder that is a bundle for both GLiNER.js and our engine: glinerjs_fp32_bundle -> the folder
glinerjs_fp32_bundle() {
  local work="$GLINER_ROOT/training/work/glinerjs"
  local bundle="$work/fp32"
  if [ ! -f "$bundle/model.onnx" ] || [ "$GLINER_ROOT/models/default-weights.onnx" -nt "$bundle/model.onnx" ]; then
    echo "glinerjs: building the float32 graph of models/default-weights.onnx into $bundle ..." >&2
    (
      cd "$GLINER_ROOT"
      source training/common.sh
      onnx_py="$(pinned_venv onnx)"
      rm -rf "$work/weights" "$bundle"
      weights_bundle "$work/weights"
      "$onnx_py" training/fast_variants.py "$work/weights" "$work" --variants fp32 >&2
    )
  fi
  # transformers.js reads the tokenizer's special tokens and position limit from this file, which GLiNER
  # bundles do not carry (the backbone is all-MiniLM-L6-v2: uncased BERT WordPiece, 512 positions).
  cat > "$bundle/tokenizer_config.json" <<'JSON'
{"tokenizer_class": "BertTokenizer", "do_lower_case": true, "model_max_length": 512,
 "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]"}
JSON
  echo "$bundle"
}

# The pinned Node packages in jobs/glinerjs/node_modules, installed by `npm ci` when missing or when
# package-lock.json changed.
glinerjs_install() {
  local harness="$GLINER_ROOT/jobs/glinerjs"
  command -v node >/dev/null && command -v npm >/dev/null \
    || { echo "glinerjs: node and npm are needed (Node.js 18+)" >&2; return 1; }
  local stamp="$harness/node_modules/.installed-package-lock.json"
  if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$harness/package-lock.json"; then
    echo "glinerjs: npm ci in $harness ..." >&2
    # Install scripts only download what the harness never uses (CUDA libraries, sharp's image codecs).
    (cd "$harness" && npm ci --ignore-scripts --no-audit --no-fund >&2)
    cp "$harness/package-lock.json" "$stamp"
  fi
}
