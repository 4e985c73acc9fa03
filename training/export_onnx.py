"""Exports trained weights (train.py's weights-NN.npz) to a GLiNER ONNX bundle with the span signature of
the inference contract, then shrinks the stored weights.

Signature: input_ids, attention_mask, words_mask int64 [B, S]; text_lengths int64 [B, 1]; span_idx int64
[B, W*K, 2]; span_mask bool [B, W*K]; output logits float32 [B, W, K, C] (B, S, W, C dynamic).

Shrinking keeps every computation in float32 and only changes how weights are stored:
  * the word-embedding table as int8 with one float32 scale per row (Gather int8 -> Cast -> Mul by the
    gathered row scale), symmetric, so a row keeps its direction and relative magnitudes;
  * --matmul int8 (default): every MatMul weight as int8 with a float32 scale per output column, restored by
    DequantizeLinear; --matmul fp16: stored fp16 and Cast back;
  * every other float tensor of 1,024+ values as fp16 with a Cast back to float32.
--precision fp32 writes the plain export (the reference point for measuring what shrinking costs).

usage: python3 training/export_onnx.py WEIGHTS_DIR BUNDLE_DIR [--precision shrunk|fp32] [--matmul int8|fp16]
       [--backbone-tokenizer training/work/backbone-tokenizer.json]
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from encoding import INPUT_NAMES, PromptFormat, collate  # noqa: E402
from gliner_model import ENT_ID, GlinerSpanModel, load_split_fp16  # noqa: E402
import make_tokenizer  # noqa: E402

OPSET = 17
MAX_WIDTH = 12
FP16_MIN_VALUES = 1024


def gliner_config():
    return {
        "model_name": "sentence-transformers/all-MiniLM-L6-v2",
        "span_mode": "markerV0",
        "max_width": MAX_WIDTH,
        "max_len": 384,
        "hidden_size": 384,
        "dropout": 0.4,
        "ent_token": "<<ENT>>",
        "sep_token": "<<SEP>>",
        "class_token_index": ENT_ID,
        "words_splitter_type": "whitespace",
        "embed_ent_token": True,
        "fine_tune": True,
        "subtoken_pooling": "first",
        "has_rnn": True,
        "labels_encoder": None,
        "relations_layer": None,
        "labels_decoder": None,
    }


def export_fp32(model, path):
    """Legacy (TorchScript-based) export, dummy batch of one text with two labels as the reference does."""
    fmt = PromptFormat({"prefix": [101], "suffix": [102], "ent": ENT_ID, "sep": ENT_ID + 1, "pad": 0,
                        "max_width": MAX_WIDTH})
    feed = collate(fmt, [([[2711], [3029]], [[2198], [3799, 2015], [2003], [1999], [3000]])])
    args = tuple(torch.from_numpy(feed[name]) for name in INPUT_NAMES)
    token_axes = {0: "batch", 1: "sequence"}
    span_axes = {0: "batch", 1: "spans"}
    torch.onnx.export(
        model, args, path, input_names=INPUT_NAMES, output_names=["logits"], opset_version=OPSET,
        do_constant_folding=True,
        dynamic_axes={"input_ids": token_axes, "attention_mask": token_axes, "words_mask": token_axes,
                      "text_lengths": {0: "batch"}, "span_idx": span_axes, "span_mask": span_axes,
                      "logits": {0: "batch", 1: "words", 3: "classes"}})


class GraphEditor:
    def __init__(self, model: onnx.ModelProto):
        self.model = model
        self.graph = model.graph
        self.initializers = {init.name: init for init in self.graph.initializer}
        self.prologue = []

    def consumers(self, name):
        return [node for node in self.graph.node if name in node.input]

    def replace_initializer(self, name, new_initializers, nodes):
        """Drops initializer `name`; `nodes` (run first) must produce a float32 tensor named `name`."""
        self.graph.initializer.remove(self.initializers.pop(name))
        for init in new_initializers:
            self.graph.initializer.append(init)
            self.initializers[init.name] = init
        self.prologue.extend(nodes)

    def finish(self):
        nodes = self.prologue + list(self.graph.node)
        del self.graph.node[:]
        self.graph.node.extend(nodes)


def quantize_rows(table):
    scale = np.abs(table).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    return np.clip(np.rint(table / scale), -127, 127).astype(np.int8), scale.astype(np.float32)


def shrink_word_embeddings(editor: GraphEditor, name):
    (gather,) = [n for n in editor.consumers(name) if n.op_type == "Gather"]
    table = numpy_helper.to_array(editor.initializers[name])
    quantized, scale = quantize_rows(table)
    ids = gather.input[1]
    if ids not in [i.name for i in editor.graph.input]:
        raise ValueError(f"word-embedding Gather reads {ids}, not a graph input")
    q_name, s_name = name + ".int8", name + ".row_scale"
    editor.graph.node.remove(gather)
    editor.graph.initializer.remove(editor.initializers.pop(name))
    editor.graph.initializer.extend([numpy_helper.from_array(quantized, q_name), numpy_helper.from_array(scale, s_name)])
    out = gather.output[0]
    nodes = [
        helper.make_node("Gather", [q_name, ids], [out + ".int8"], name=gather.name + ".int8"),
        helper.make_node("Cast", [out + ".int8"], [out + ".unscaled"], to=TensorProto.FLOAT, name=gather.name + ".cast"),
        helper.make_node("Gather", [s_name, ids], [out + ".scale"], name=gather.name + ".scale"),
        helper.make_node("Mul", [out + ".unscaled", out + ".scale"], [out], name=gather.name + ".rescale"),
    ]
    editor.prologue.extend(nodes)


def shrink_matmul_weight_int8(editor: GraphEditor, name):
    weight = numpy_helper.to_array(editor.initializers[name])  # [in, out]
    quantized, scale = quantize_rows(weight.T)
    editor.replace_initializer(name, [numpy_helper.from_array(np.ascontiguousarray(quantized.T), name + ".int8"),
                                      numpy_helper.from_array(scale[:, 0], name + ".scale"),
                                      numpy_helper.from_array(np.zeros(scale.shape[0], np.int8), name + ".zero")],
                               [helper.make_node("DequantizeLinear", [name + ".int8", name + ".scale", name + ".zero"],
                                                 [name], axis=1, name=name + ".dequantize")])


def shrink_to_fp16(editor: GraphEditor, name):
    array = numpy_helper.to_array(editor.initializers[name])
    editor.replace_initializer(name, [numpy_helper.from_array(array.astype(np.float16), name + ".fp16")],
                               [helper.make_node("Cast", [name + ".fp16"], [name], to=TensorProto.FLOAT,
                                                 name=name + ".cast")])


def shrink(model: onnx.ModelProto, matmul: str) -> onnx.ModelProto:
    editor = GraphEditor(model)
    word_embeddings = "bert.embeddings.word_embeddings.weight"
    if word_embeddings not in editor.initializers:
        raise ValueError("word-embedding initializer not found in the export")
    shrink_word_embeddings(editor, word_embeddings)
    for name, init in list(editor.initializers.items()):
        if init.data_type != TensorProto.FLOAT or name.endswith((".row_scale", ".scale")):
            continue
        size = int(np.prod(init.dims)) if init.dims else 1
        users = editor.consumers(name)
        matmul_weight = len(init.dims) == 2 and users and all(n.op_type == "MatMul" and n.input[1] == name for n in users)
        if matmul_weight and matmul == "int8":
            shrink_matmul_weight_int8(editor, name)
        elif size >= FP16_MIN_VALUES:
            shrink_to_fp16(editor, name)
    editor.finish()
    return model


def write_bundle(weights_dir, bundle_dir, precision, matmul, backbone_tokenizer):
    os.makedirs(bundle_dir, exist_ok=True)
    model = GlinerSpanModel().eval()
    model.load_state_dict(load_split_fp16(weights_dir), strict=True)
    onnx_path = os.path.join(bundle_dir, "model.onnx")
    export_fp32(model, onnx_path)
    if precision == "shrunk":
        graph = shrink(onnx.load(onnx_path), matmul)
        onnx.checker.check_model(graph)
        onnx.save(graph, onnx_path)
    onnx.checker.check_model(onnx.load(onnx_path))
    with open(backbone_tokenizer, encoding="utf-8") as f:
        tokenizer = make_tokenizer.build(json.load(f))
    with open(os.path.join(bundle_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    with open(os.path.join(bundle_dir, "gliner_config.json"), "w", encoding="utf-8") as f:
        json.dump(gliner_config(), f, indent=1)
    stats = os.path.join(weights_dir, "train_stats.json")
    if os.path.exists(stats):
        shutil.copy(stats, os.path.join(bundle_dir, "train_stats.json"))
    return onnx_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("weights_dir")
    parser.add_argument("bundle_dir")
    parser.add_argument("--precision", choices=["shrunk", "fp32"], default="shrunk")
    parser.add_argument("--matmul", choices=["int8", "fp16"], default="int8")
    parser.add_argument("--backbone-tokenizer", default="training/work/backbone-tokenizer.json")
    args = parser.parse_args()
    path = write_bundle(args.weights_dir, args.bundle_dir, args.precision, args.matmul, args.backbone_tokenizer)
    print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB ({args.precision}"
          + (f", matmul {args.matmul})" if args.precision == "shrunk" else ")"))


if __name__ == "__main__":
    main()
