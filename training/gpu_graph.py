"""Builds the GPU graph of a GLiNER bundle: float16 weights and arithmetic, float32 inputs and outputs.

A CPU graph stores int8 weights for the CPU's int8 dot-product instructions; a GPU runs float16 fastest, and its
tensor cores do the work only when the MatMuls themselves are float16. This tool takes the bundle's float32 graph
(a graph with int8/fp16 storage is restored to float32 first, exactly the values it computes with), applies ONNX
Runtime's transformer fusions (Attention, SkipLayerNormalization, BiasGelu ...: one CUDA kernel each instead of
a chain of small ones), stores the word-embedding table as int8 rows (as the CPU graph does) and converts the rest
to float16, keeping the graph's inputs and outputs float32 so that the engine feeds and reads it as it does the CPU
graph. A few operators stay float32 (KEEP_FP32, with Cast nodes around them). A bi-encoder's labels_embeddings
input stays float32 as well (a Cast inside turns it to float16), so the engine feeds the labels encoder's output as
it is.

The result is meant to sit beside the CPU graph as model.gpu.onnx (docs/model.md); the engine's test suite checks
that every operator of it has a CUDA kernel in the ONNX Runtime version the engine runs.

usage: training/work/venv-onnx/bin/python training/gpu_graph.py IN_BUNDLE OUT_ONNX
       (training/gpu_graph.sh creates that venv with the pinned versions and runs this)
IN_BUNDLE holds model.onnx (float32, or the shipped storage that restores to it), tokenizer.json and
gliner_config.json. The float16 graph's agreement with the float32 one is printed for a synthetic batch (random token
ids, every span of 24 words), both run by ONNX Runtime's CPU provider.
"""
import json
import os
import sys

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fast_variants import HIDDEN, NUM_HEADS, fuse, sort_nodes  # noqa: E402
from onnx_storage import WORD_EMBEDDINGS, GraphEditor, restore_fp32, shrink_word_embeddings  # noqa: E402

# Operators kept float32, besides ONNX Runtime's own list: Range has no float16 CUDA kernel; the LSTM's recurrence
# runs over the whole text, where float16 rounding accumulates (it is a small part of the work); ArgMax, ArgMin and
# TopK choose among near-equal values, which float16 would tie; CumSum, NonZero and Resize compute positions.
KEEP_FP32 = ["LSTM", "Range", "CumSum", "ArgMax", "ArgMin", "TopK", "NonZero", "Resize"]


def to_fp16(model: onnx.ModelProto) -> onnx.ModelProto:
    from onnxruntime.transformers.float16 import DEFAULT_OP_BLOCK_LIST
    from onnxruntime.transformers.onnx_model import OnnxModel

    converted = OnnxModel(model)
    converted.convert_float_to_float16(use_symbolic_shape_infer=True, keep_io_types=True,
                                       op_block_list=sorted(set(DEFAULT_OP_BLOCK_LIST + KEEP_FP32)))
    # A tensor that a kept-float32 node takes twice (the LSTM's initial_h and initial_c are one zero tensor) gets
    # two identical Casts with one output name; one of them computes it.
    cast_outputs = set()
    for node in list(converted.model.graph.node):
        if node.op_type == "Cast":
            if node.output[0] in cast_outputs:
                converted.model.graph.node.remove(node)
            cast_outputs.add(node.output[0])
    # The converter appends the Cast nodes it inserts at the end of the node list; ONNX wants them sorted.
    converted.topological_sort()
    return sort_nodes(converted.model)


def synthetic_inputs(session, config):
    """A batch the graph accepts: the signature's integer inputs filled with token ids, masks and span indices; a
    bi-encoder's labels_embeddings with random rows of the scale a labels encoder's mean pooling gives."""
    rng = np.random.default_rng(7)
    batch, words, width = 2, 24, int(config["max_width"])
    tokens = 40
    # A bi-encoder keeps vocab_size -1 (the library does not resize its embeddings): the backbone's own then.
    vocab = int(config.get("vocab_size") or -1)
    if vocab <= 0:
        vocab = int((config.get("encoder_config") or {}).get("vocab_size") or 30525)
    feeds = {}
    for arg in session.get_inputs():
        name = arg.name
        if name == "input_ids":
            ids = rng.integers(min(1000, vocab // 4), min(20000, vocab - 3), size=(batch, tokens))
            ids[:, 0] = 101
            # A bi-encoder's text has no label prompt (and its embedding table may lack the prompt tokens).
            if "labels_embeddings" not in {i.name for i in session.get_inputs()}:
                ids[:, 1:9:2] = int(config["class_token_index"])
            ids[:, -1] = 102
            feeds[name] = ids.astype(np.int64)
        elif name == "attention_mask":
            feeds[name] = np.ones((batch, tokens), dtype=np.int64)
        elif name == "words_mask":
            mask = np.zeros((batch, tokens), dtype=np.int64)
            mask[:, 10:10 + words] = np.arange(1, words + 1)
            feeds[name] = mask
        elif name == "text_lengths":
            feeds[name] = np.full((batch, 1), words, dtype=np.int64)
        elif name == "span_idx":
            starts = np.repeat(np.arange(words), width)
            ends = np.minimum(starts + np.tile(np.arange(width), words), words - 1)
            feeds[name] = np.broadcast_to(np.stack([starts, ends], axis=-1), (batch, words * width, 2)).astype(np.int64)
        elif name == "span_mask":
            starts = np.repeat(np.arange(words), width)
            ends = starts + np.tile(np.arange(width), words)
            feeds[name] = np.broadcast_to(ends < words, (batch, words * width)).copy()
        elif name == "labels_embeddings":
            feeds[name] = rng.normal(0, 0.5, size=(4, int(config["hidden_size"]))).astype(np.float32)
        else:
            raise SystemExit(f"unknown graph input {name}: cannot build a probe batch")
    return feeds


def agreement(fp32_path: str, fp16_path: str, config):
    import onnxruntime as ort

    reference = ort.InferenceSession(fp32_path, providers=["CPUExecutionProvider"])
    try:
        converted = ort.InferenceSession(fp16_path, providers=["CPUExecutionProvider"])
    except Exception as e:  # noqa: BLE001  (ONNX Runtime raises its own exception types)
        print(f"  the float16 graph does not load on ONNX Runtime's CPU provider ({type(e).__name__}: "
              f"{str(e).splitlines()[0]}); its agreement needs a CUDA machine")
        return
    feeds = synthetic_inputs(reference, config)
    expected = reference.run(None, feeds)[0]
    actual = converted.run(None, feeds)[0]
    diff = np.abs(expected.astype(np.float64) - actual.astype(np.float64))
    print(f"  logits {expected.shape} {actual.dtype}: max abs diff {diff.max():.4f}, mean {diff.mean():.5f}, "
          f"logit range [{expected.min():.2f}, {expected.max():.2f}], "
          f"same sign (p>0.5 decision) for {np.mean((expected > 0) == (actual > 0)) * 100:.3f}% of logits")


def word_embedding_table(editor: GraphEditor):
    """Our export's table name, else the initializer a Gather of input_ids reads (the reference library's export
    names it after its module path)."""
    if WORD_EMBEDDINGS in editor.initializers:
        return WORD_EMBEDDINGS
    for node in editor.graph.node:
        if node.op_type == "Gather" and node.input[1] == "input_ids" and node.input[0] in editor.initializers:
            return node.input[0]
    raise SystemExit("no word-embedding table found: no Gather of input_ids reads an initializer")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: gpu_graph.py IN_BUNDLE OUT_ONNX")
    bundle, out = sys.argv[1], sys.argv[2]
    source = os.path.join(bundle, "model.onnx")
    with open(os.path.join(bundle, "gliner_config.json")) as f:
        config = json.load(f)
    fp32 = restore_fp32(onnx.load(source))
    print("fusing ...", flush=True)
    # The attention fusions match the backbone's own head count and width (a converted model's encoder_config).
    encoder = config.get("encoder_config") or {}
    fused = fuse(fp32, encoder.get("num_attention_heads", NUM_HEADS), encoder.get("hidden_size", HIDDEN))
    # The word-embedding table is a third of the weights and only ever gathered: int8 rows with one scale each (as
    # the CPU graph stores it) keep the file small; each batch dequantizes just the rows it looks up.
    editor = GraphEditor(fused)
    shrink_word_embeddings(editor, word_embedding_table(editor))
    editor.finish()
    print("converting to float16 ...", flush=True)
    model = to_fp16(fused)
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    onnx.save(model, out)
    ops = sorted({(n.domain or "ai.onnx", n.op_type) for n in model.graph.node})
    print(f"{out}: {os.path.getsize(out) / 1e6:.1f} MB, {len(model.graph.node)} nodes, operators {ops}")
    fp32_path = out + ".fp32-reference.onnx"
    onnx.save(fp32, fp32_path)
    try:
        agreement(fp32_path, out, config)
    finally:
        os.remove(fp32_path)


if __name__ == "__main__":
    main()
