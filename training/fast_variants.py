"""Builds the speed variants of a shipped GLiNER bundle from the weights stored in its model.onnx.

The shipped graph stores int8/fp16 weights but computes in float32. This tool first restores the plain float32
graph from those stored weights (int8 x scale and fp16 -> float32 initializers, exactly the values the shipped
graph computes with), then derives:

  fp32              the restored graph (the reference: same arithmetic as the shipped graph, no storage tricks)
  fused             ONNX Runtime's transformer fusions (Attention, SkipLayerNormalization, BiasGelu, ...)
  int8              dynamic int8 quantization of the MatMuls (DynamicQuantizeLinear + MatMulInteger: the CPU's
                    int8 dot-product instructions do the work), one scale per weight tensor
  int8-pc           the same with one scale per output column
  fused-int8        fusions first, then dynamic int8 quantization (Attention becomes QAttention)
  fused-int8-pc     fusions, then per-column int8
  fused-int8-bert   fusions, then int8 only inside the encoder (span and label heads stay float32)
  fused-int8-pc-bert  the same with one scale per output column
  fused-int8-pc-ffn32 per-column int8 everywhere except the encoder's FFN output projections (their GELU
                    inputs carry the outlier activations that one uint8 scale per tensor resolves worst)

Every int8 variant then gets the shipped storage for what quantization leaves in float32: the word-embedding
table as int8 with one scale per row, other tensors of 1,024+ values as fp16 (Cast back to float32), so the
file stays near the shipped size. Each variant is written as a complete bundle folder (model.onnx,
tokenizer.json, gliner_config.json, bundle.txt; a bi-encoder's labels_encoder.onnx and labels_tokenizer.json are
copied as they are: the variants are of the text graph, whose labels_embeddings input stays float32).

usage: training/work/venv-onnx/bin/python training/fast_variants.py SHIPPED_BUNDLE OUT_DIR [--variants a,b,...]
       [--num-heads 12 --hidden-size 384]
       (training/fast_variants.sh creates that venv with the pinned versions and runs this)
"""
import argparse
import hashlib
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_storage import (  # noqa: E402
    FP16_MIN_VALUES,
    WORD_EMBEDDINGS,
    GraphEditor,
    restore_fp32,
    shrink_to_fp16,
    shrink_word_embeddings,
)

NUM_HEADS = 12
HIDDEN = 384
VARIANTS = ["fp32", "fused", "int8", "int8-pc", "fused-int8", "fused-int8-pc", "fused-int8-bert", "fused-int8-pc-bert",
            "fused-int8-pc-ffn32"]


def fuse(model: onnx.ModelProto, num_heads=NUM_HEADS, hidden=HIDDEN) -> onnx.ModelProto:
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    options = FusionOptions("bert")
    # The graph has no token_type_ids input and adds type row 0 itself: there is no embedding layer to fuse.
    options.enable_embed_layer_norm = False
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "in.onnx")
        onnx.save(model, path)
        optimized = optimizer.optimize_model(path, model_type="bert", num_heads=num_heads, hidden_size=hidden,
                                             optimization_options=options, opt_level=0)
    print("  fusions:", {k: v for k, v in optimized.get_fused_operator_statistics().items() if v}, flush=True)
    fused = optimized.model
    if not any(o.domain == "com.microsoft" for o in fused.opset_import):
        fused.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return fused


def quantize(model: onnx.ModelProto, per_channel: bool, encoder_only: bool, ffn_output_fp32: bool = False):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    exclude = []
    if encoder_only:
        exclude = [n.name for n in model.graph.node if n.op_type == "MatMul" and not encoder_node(n)]
    if ffn_output_fp32:
        exclude += [n.name for n in model.graph.node
                    if n.op_type == "MatMul" and n.name.startswith("/bert/") and n.name.endswith("/output/dense/MatMul")
                    and "/attention/" not in n.name]
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.onnx"), os.path.join(tmp, "out.onnx")
        onnx.save(model, src)
        quantize_dynamic(src, dst, per_channel=per_channel, weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Attention"], nodes_to_exclude=exclude,
                         extra_options={"MatMulConstBOnly": True, "DefaultTensorType": TensorProto.FLOAT})
        return sort_nodes(onnx.load(dst))


def outer_inputs(node):
    """Names a node's subgraphs (the branches of an If, a Loop's body) read from the enclosing graph."""
    names = set()
    for attr in node.attribute:
        graphs = [attr.g] if attr.type == onnx.AttributeProto.GRAPH else list(attr.graphs)
        for graph in graphs:
            local = ({o for n in graph.node for o in n.output} | {i.name for i in graph.input}
                     | {t.name for t in graph.initializer})
            for inner in graph.node:
                names.update(i for i in list(inner.input) + sorted(outer_inputs(inner)) if i and i not in local)
    return names


def sort_nodes(model: onnx.ModelProto) -> onnx.ModelProto:
    """Puts the nodes in an order where each comes after what it reads, subgraph reads included, keeping the
    given order wherever it already is one. The quantizer's own sort misses what an If branch reads from outside,
    which exports with If nodes (DeBERTa's relative positions) need."""
    available = {i.name for i in model.graph.input} | {t.name for t in model.graph.initializer} | {""}
    pending = [(node, set(node.input) | outer_inputs(node)) for node in model.graph.node]
    ordered = []
    while pending:
        waiting = []
        for node, needs in pending:
            if needs <= available:
                ordered.append(node)
                available.update(node.output)
            else:
                waiting.append((node, needs))
        if len(waiting) == len(pending):
            missing = sorted(set().union(*(needs for _, needs in waiting)) - available)
            raise ValueError(f"the graph reads values no node produces: {missing[:5]}")
        pending = waiting
    del model.graph.node[:]
    model.graph.node.extend(ordered)
    return model


def encoder_node(node):
    """True for a backbone node: the exporter names them /bert/...; fused Attention exists only there."""
    return node.op_type == "Attention" or node.name.startswith("/bert/")


def shrink_storage(model: onnx.ModelProto) -> onnx.ModelProto:
    """The shipped storage for the float32 tensors quantization left: int8 rows for the word embeddings, fp16."""
    editor = GraphEditor(model)
    if WORD_EMBEDDINGS in editor.initializers:
        shrink_word_embeddings(editor, WORD_EMBEDDINGS)
    for name, init in list(editor.initializers.items()):
        if init.data_type != TensorProto.FLOAT or name.endswith((".row_scale", "_scale")):
            continue
        size = int(np.prod(init.dims)) if init.dims else 1
        if size >= FP16_MIN_VALUES:
            shrink_to_fp16(editor, name)
    editor.finish()
    onnx.checker.check_model(model)
    return model


def build(name, fp32, fused_cache, num_heads=NUM_HEADS, hidden=HIDDEN):
    if name == "fp32":
        return fp32
    if name.startswith("fused") and "fused" not in fused_cache:
        fused_cache["fused"] = fuse(clone(fp32), num_heads, hidden)
    base = fused_cache["fused"] if name.startswith("fused") else fp32
    if name == "fused":
        return base
    quantized = quantize(clone(base), per_channel="-pc" in name, encoder_only=name.endswith("-bert"),
                         ffn_output_fp32=name.endswith("-ffn32"))
    return shrink_storage(quantized)


def clone(model):
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    return copy


BI_ENCODER_FILES = ("labels_encoder.onnx", "labels_tokenizer.json")


def write_bundle(model, shipped_bundle, out):
    os.makedirs(out, exist_ok=True)
    copied = ["tokenizer.json", "gliner_config.json"]
    copied += [f for f in BI_ENCODER_FILES if os.path.isfile(os.path.join(shipped_bundle, f))]
    for file in copied:
        shutil.copy(os.path.join(shipped_bundle, file), os.path.join(out, file))
    onnx.save(model, os.path.join(out, "model.onnx"))
    lines = []
    for file in ["gliner_config.json", "tokenizer.json", "model.onnx"] + copied[2:]:
        with open(os.path.join(out, file), "rb") as f:
            lines.append(f"{hashlib.sha256(f.read()).hexdigest()}  {file}\n")
    with open(os.path.join(out, "bundle.txt"), "w") as f:
        f.writelines(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("shipped_bundle")
    parser.add_argument("out_dir")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    # The fusions match attention by the backbone's head count and width (those of our MiniLM by default).
    parser.add_argument("--num-heads", type=int, default=NUM_HEADS)
    parser.add_argument("--hidden-size", type=int, default=HIDDEN)
    args = parser.parse_args()
    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; known: {VARIANTS}")
    fp32 = restore_fp32(onnx.load(os.path.join(args.shipped_bundle, "model.onnx")))
    cache = {}
    for name in names:
        print(f"{name} ...", flush=True)
        model = build(name, fp32, cache, args.num_heads, args.hidden_size)
        out = os.path.join(args.out_dir, name)
        write_bundle(model, args.shipped_bundle, out)
        size = os.path.getsize(os.path.join(out, "model.onnx")) / 1e6
        ops = sorted({n.op_type for n in model.graph.node if n.domain == "com.microsoft" or "Integer" in n.op_type})
        print(f"  {out}: {size:.1f} MB, special ops {ops}", flush=True)


if __name__ == "__main__":
    main()
