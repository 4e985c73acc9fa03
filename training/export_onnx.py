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

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_tokenizer  # noqa: E402
from encoding import INPUT_NAMES, PromptFormat, collate  # noqa: E402
from gliner_model import ENT_ID, GlinerSpanModel, load_split_fp16  # noqa: E402
from onnx_storage import shrink  # noqa: E402

OPSET = 17
MAX_WIDTH = 12


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
