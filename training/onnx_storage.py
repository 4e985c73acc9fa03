"""How an exported GLiNER graph stores its weights smaller while computing in float32.

  * the word-embedding table as int8 with one float32 scale per row (Gather int8 -> Cast -> Mul by the
    gathered row scale), symmetric, so a row keeps its direction and relative magnitudes;
  * MatMul weights as int8 with a float32 scale per output column, restored by DequantizeLinear, or as fp16;
  * every other float tensor of 1,024+ values as fp16 with a Cast back to float32.

restore_fp32 undoes it. Shared by the exporter, the speed-variant builder and the reference-layout converter
(the latter two run without torch or without the training code).
"""
import re

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FP16_MIN_VALUES = 1024
WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight"


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
    editor.graph.initializer.extend([numpy_helper.from_array(quantized, q_name),
                                     numpy_helper.from_array(scale, s_name)])
    out = gather.output[0]
    nodes = [
        helper.make_node("Gather", [q_name, ids], [out + ".int8"], name=gather.name + ".int8"),
        helper.make_node("Cast", [out + ".int8"], [out + ".unscaled"], to=TensorProto.FLOAT,
                         name=gather.name + ".cast"),
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
    word_embeddings = WORD_EMBEDDINGS
    if word_embeddings not in editor.initializers:
        raise ValueError("word-embedding initializer not found in the export")
    shrink_word_embeddings(editor, word_embeddings)
    for name, init in list(editor.initializers.items()):
        if init.data_type != TensorProto.FLOAT or name.endswith((".row_scale", ".scale")):
            continue
        size = int(np.prod(init.dims)) if init.dims else 1
        users = editor.consumers(name)
        matmul_weight = (len(init.dims) == 2 and users
                         and all(n.op_type == "MatMul" and n.input[1] == name for n in users))
        if matmul_weight and matmul == "int8":
            shrink_matmul_weight_int8(editor, name)
        elif size >= FP16_MIN_VALUES:
            shrink_to_fp16(editor, name)
    editor.finish()
    return model


def restore_fp32(model: onnx.ModelProto) -> onnx.ModelProto:
    """Folds the storage nodes of a shrunk graph back into float32 initializers.

    DequantizeLinear(int8, scale, zero) and Cast(fp16 -> float) of initializers become one float32 initializer
    with the value ONNX Runtime computes; the int8 word-embedding Gather + row-scale Mul becomes one Gather of the
    float32 table.
    """
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}

    def array(name):
        return numpy_helper.to_array(inits[name])

    restored = {}
    dropped_nodes = []
    for node in graph.node:
        if node.op_type == "DequantizeLinear" and all(i in inits for i in node.input):
            q, scale, zero = (array(i) for i in node.input)
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            shape = [1] * q.ndim
            shape[axis] = -1
            value = (q.astype(np.float32) - zero.astype(np.float32).reshape(shape)) * scale.reshape(shape)
            restored[node.output[0]] = value.astype(np.float32)
            dropped_nodes.append(node)
        elif (node.op_type == "Cast" and node.input[0] in inits
              and inits[node.input[0]].data_type == TensorProto.FLOAT16):
            restored[node.output[0]] = array(node.input[0]).astype(np.float32)
            dropped_nodes.append(node)

    by_output = {out: node for node in graph.node for out in node.output}
    gather = None
    int8_lookup = next((n for n in graph.node
                        if n.op_type == "Gather" and n.input[0] == WORD_EMBEDDINGS + ".int8"), None)
    if int8_lookup is not None:
        # written by shrink_word_embeddings: <out>.int8 -> Cast <out>.unscaled, Gather <out>.scale -> Mul <out>
        out = int8_lookup.output[0][: -len(".int8")]
        dropped_nodes.extend(by_output[name] for name in (out + ".int8", out + ".unscaled", out + ".scale", out))
        table = array(WORD_EMBEDDINGS + ".int8").astype(np.float32) * array(WORD_EMBEDDINGS + ".row_scale")
        restored[WORD_EMBEDDINGS] = table.astype(np.float32)
        gather = helper.make_node("Gather", [WORD_EMBEDDINGS, int8_lookup.input[1]], [out], name="word_embeddings")

    used_storage = {i for node in dropped_nodes for i in node.input}
    kept_nodes = [n for n in graph.node if not any(n is d for d in dropped_nodes)]
    del graph.node[:]
    if gather is not None:
        graph.node.append(gather)
    graph.node.extend(kept_nodes)
    for name in used_storage:
        if name in inits:
            graph.initializer.remove(inits.pop(name))
    for name, value in restored.items():
        graph.initializer.append(numpy_helper.from_array(value, name))
    onnx.checker.check_model(model)
    return model


def matmul_parameter(node_name):
    """'/bert/layer.0/attention/self/query/MatMul' -> 'bert.encoder.layer.0.attention.self.query.weight'."""
    parts = node_name.strip("/").split("/")[:-1]
    if parts[0] == "bert":
        parts = ["bert", "encoder"] + parts[1:]
    else:
        parts = parts[1:]  # '/prompt_projection/prompt_projection.0/MatMul': the module path repeats its parent
    return ".".join(parts) + ".weight"


def lstm_gates_to_torch(array):
    """ONNX LSTM gate blocks (input, output, forget, cell) -> torch's (input, forget, cell, output)."""
    i, o, f, c = np.split(array, 4, axis=0)
    return np.concatenate([i, f, c, o], axis=0)


def trained_weights(model: onnx.ModelProto):
    """The trained parameters (gliner_model.GlinerSpanModel names, float32 numpy) of an exported graph, shrunk
    or not: named initializers as they are, MatMul weights (named by the exporter after the node) transposed
    back, LSTM gates reordered, the folded token-type row 0 restored (row 1 is never used and set to 0)."""
    model = restore_fp32(model)
    inits = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    state = {name: value for name, value in inits.items()
             if re.match(r"^(bert|prompt_projection|project_start|project_end|out_project)\.", name)}
    token_type_row = None
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits:
            state[matmul_parameter(node.name)] = inits[node.input[1]].T
        elif node.op_type == "LSTM":
            prefix = {"/rnn/forward_lstm/LSTM": "rnn.forward_lstm.",
                      "/rnn/backward_lstm/LSTM": "rnn.backward_lstm."}[node.name]
            w, r, b = (inits[i][0] for i in node.input[1:4])
            hidden = r.shape[1]
            state[prefix + "weight_ih_l0"] = lstm_gates_to_torch(w)
            state[prefix + "weight_hh_l0"] = lstm_gates_to_torch(r)
            state[prefix + "bias_ih_l0"] = lstm_gates_to_torch(b[: 4 * hidden])
            state[prefix + "bias_hh_l0"] = lstm_gates_to_torch(b[4 * hidden:])
        elif node.name == "/bert/embeddings/Add_1":
            # token type row 0, folded into a constant by the exporter (the graph has no token_type_ids input)
            token_type_row = inits[next(i for i in node.input if i in inits)]
    if token_type_row is None:
        raise ValueError("token-type row not found in the graph (expected an Add of a constant in /bert/embeddings)")
    state["bert.embeddings.token_type_embeddings.weight"] = np.stack([token_type_row, np.zeros_like(token_type_row)])
    return state
