"""Converts one of our GLiNER bundles into the reference Python library's own model folder.

The weights come from the bundle's model.onnx (onnx_storage.trained_weights: exactly the values the graph
computes with) and are renamed to the parameters of the library's span model (markerV0, BiLSTM, first-sub-token
words): the backbone under token_rep_layer.bert_layer.model, the label FFN as prompt_rep_layer, the span FFNs
under span_rep_layer.span_rep_layer, the two LSTM directions as one bidirectional rnn.lstm.

Written folder:
  gliner_config.json   our config plus what the library needs offline: encoder_config inline (a BERT config),
                       vocab_size, model_name = the backbone folder below (absolute path)
  model.safetensors    float32 weights
  tokenizer.json, tokenizer_config.json, special_tokens_map.json   the bundle's tokenizer ([FLERT], <<ENT>>, <<SEP>>)
  backbone/            config.json + the backbone tokenizer, so transformers resolves model_name without a hub

usage: python training/reference_layout.py BUNDLE_DIR OUT_DIR   (the reference venv: see reference_parity.sh)
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import onnx
import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_storage import trained_weights  # noqa: E402

BACKBONE = "token_rep_layer.bert_layer.model."

BERT_CONFIG = {
    "model_type": "bert",
    "architectures": ["BertModel"],
    "vocab_size": 30525,
    "hidden_size": 384,
    "num_hidden_layers": 6,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "initializer_range": 0.02,
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
}


def library_name(ours):
    """Our parameter name (gliner_model.GlinerSpanModel) -> the library's."""
    if ours.startswith("bert."):
        return BACKBONE + ours[len("bert."):]
    if ours.startswith("prompt_projection."):
        return "prompt_rep_layer." + ours[len("prompt_projection."):]
    if ours.startswith(("project_start.", "project_end.", "out_project.")):
        return "span_rep_layer.span_rep_layer." + ours
    if ours.startswith("rnn.forward_lstm."):
        return "rnn.lstm." + ours[len("rnn.forward_lstm."):]
    if ours.startswith("rnn.backward_lstm."):
        return "rnn.lstm." + ours[len("rnn.backward_lstm."):] + "_reverse"
    raise ValueError(f"no library name for {ours}")


def state_dict(onnx_path):
    """The library's state dict (float32 torch tensors) from our bundle's model.onnx."""
    state = {library_name(name): value for name, value in trained_weights(onnx.load(onnx_path)).items()}
    hidden = BERT_CONFIG["hidden_size"]
    # The library's BertModel has a pooler that GLiNER never calls; zeros make a strict load possible.
    state[BACKBONE + "pooler.dense.weight"] = np.zeros((hidden, hidden), np.float32)
    state[BACKBONE + "pooler.dense.bias"] = np.zeros(hidden, np.float32)
    return {k: torch.from_numpy(np.array(v, dtype=np.float32, order="C", copy=True)) for k, v in state.items()}


def write_tokenizer(bundle_dir, target):
    os.makedirs(target, exist_ok=True)
    shutil.copy(os.path.join(bundle_dir, "tokenizer.json"), os.path.join(target, "tokenizer.json"))
    with open(os.path.join(target, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "BertTokenizerFast", "do_lower_case": True, "model_max_length": 512,
                   "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
                   "mask_token": "[MASK]"}, f, indent=1)
    with open(os.path.join(target, "special_tokens_map.json"), "w") as f:
        json.dump({"cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
                   "mask_token": "[MASK]"}, f, indent=1)


def convert(bundle_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    backbone = os.path.abspath(os.path.join(out_dir, "backbone"))
    write_tokenizer(bundle_dir, backbone)
    with open(os.path.join(backbone, "config.json"), "w") as f:
        json.dump(BERT_CONFIG, f, indent=1)
    write_tokenizer(bundle_dir, out_dir)
    with open(os.path.join(bundle_dir, "gliner_config.json")) as f:
        config = json.load(f)
    config.update({"model_name": backbone, "encoder_config": BERT_CONFIG, "vocab_size": BERT_CONFIG["vocab_size"],
                   "span_mode": "markerV0", "class_token_index": 30523})
    with open(os.path.join(out_dir, "gliner_config.json"), "w") as f:
        json.dump(config, f, indent=1)
    save_file(state_dict(os.path.join(bundle_dir, "model.onnx")), os.path.join(out_dir, "model.safetensors"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle_dir")
    parser.add_argument("out_dir")
    args = parser.parse_args()
    convert(args.bundle_dir, args.out_dir)
    print(f"{args.out_dir}: reference-library layout of {args.bundle_dir}")


if __name__ == "__main__":
    main()
