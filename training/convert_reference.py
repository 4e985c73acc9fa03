"""A model of the reference GLiNER library (the folder `GLiNER.save_pretrained` writes, or a hub id) -> the float32
bundle our engine loads: model.onnx from the library's own `export_to_onnx`, tokenizer.json (the fast tokenizer
the library runs, GLiNER's added tokens included; a sentencepiece backbone is converted by transformers), and
gliner_config.json as the library writes it.

A bi-encoder (gliner_config.json labels_encoder set) gets two graphs: model.onnx, the text graph of the library's
from_labels_embeddings export (the words alone, `[CLS] words [SEP]`, and a labels_embeddings input
[num_labels, hidden]), and labels_encoder.onnx (input_ids, attention_mask [num_labels, label_tokens] ->
labels_embeddings: the labels encoder, its labels_projection and the masked mean pooling of encode_labels), with
labels_tokenizer.json, the tokenizer of the labels encoder.

  python3 training/convert_reference.py check MODEL_DIR
      refuses, naming the gliner_config.json field, a model the engine cannot run (standard library only, so it
      runs before any venv exists)
  python training/convert_reference.py resolve hf://owner/name[@revision]
      downloads the model with huggingface_hub and prints its local folder
  python training/convert_reference.py export MODEL_DIR OUT_DIR
      writes OUT_DIR/{model.onnx, tokenizer.json, gliner_config.json}, for a bi-encoder also
      OUT_DIR/{labels_encoder.onnx, labels_tokenizer.json} (the reference venv: torch, gliner)
  python3 training/convert_reference.py backbone OUT_DIR
      prints the backbone's "num_heads hidden_size" from OUT_DIR/gliner_config.json (for the graph fusions)

Exit status 4 means the model was refused; the message names the field.
"""
import json
import os
import sys

REFUSED = 4
SPAN_MODES = {"markerV0", "marker", "query", "mlp", "cat", "conv_conv", "conv_max", "conv_mean", "conv_sum",
              "conv_share", "token_level"}
WEIGHT_FILES = ("pytorch_model.bin", "model.safetensors")
# The opset of the library's own export_to_onnx, used for the labels encoder graph as well.
OPSET = 19


class Refused(Exception):
    pass


def is_set(value):
    return value is not None and value is not False and value != "" and value != {}


def check_config(config):
    """Raises Refused naming the first field that makes the model one our engine cannot run."""
    if config.get("model_type") == "gliner_streaming_span":
        raise Refused("model_type is 'gliner_streaming_span': streaming span models keep a cache between calls; "
                      "only span and token-level models, uni-encoder or bi-encoder, can be converted")
    architectures = (
        ("labels_decoder", "a model that generates its labels with a decoder"),
        ("relations_layer", "a relation-extraction model (relation heads)"),
        ("triples_layer", "a relation-extraction model (triple heads)"),
        ("precomputed_prompts_mode", "a model that takes precomputed label embeddings"),
    )
    for field, what in architectures:
        if is_set(config.get(field)):
            raise Refused(f"{field} is set ({json.dumps(config[field])[:80]}): this is {what}; the engine runs "
                          "only span and token-level models, uni-encoder or bi-encoder")
    span_mode = config.get("span_mode", "markerV0")
    if span_mode not in SPAN_MODES:
        raise Refused(f"span_mode '{span_mode}' is not one the engine supports ({', '.join(sorted(SPAN_MODES))})")
    splitter = config.get("words_splitter_type", "whitespace")
    if splitter != "whitespace":
        serves = {"mecab": "Korean", "janome": "Japanese", "jieba": "Chinese", "hanlp": "Chinese",
                  "camel": "Arabic", "hindi": "Hindi", "spacy": "spaCy's English rules",
                  "stanza": "by detected language", "universal": "by detected language"}
        serves = serves.get(splitter, "unknown to the engine")
        raise Refused(f"words_splitter_type '{splitter}' ({serves}) is a Python-only word splitter; the engine "
                      "splits raw text only as 'whitespace' (the regex \\w+(?:[-_]\\w+)*|\\S) does. Split the "
                      f"texts with '{splitter}' in Python and give the words to GlinerModel.extractWords, or set "
                      "words_splitter_type to 'whitespace' (entities may then differ from the library's)")
    pooling = config.get("subtoken_pooling", "first")
    if pooling != "first":
        raise Refused(f"subtoken_pooling '{pooling}' changes the words_mask the model is fed; the engine marks the "
                      "first sub-token of each word only ('first')")


def check(model_dir):
    config_path = os.path.join(model_dir, "gliner_config.json")
    if not os.path.isfile(config_path):
        raise Refused(f"{model_dir} has no gliner_config.json: not a folder GLiNER.save_pretrained wrote")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    try:
        check_config(config)
    except Refused as e:
        raise Refused(f"{config_path}: {e}") from None
    if not any(os.path.isfile(os.path.join(model_dir, name)) for name in WEIGHT_FILES):
        raise Refused(f"{model_dir} has neither {' nor '.join(WEIGHT_FILES)}: no PyTorch weights to export")


def resolve(source):
    from huggingface_hub import snapshot_download

    if not source.startswith("hf://"):
        raise SystemExit(f"not a hub source: {source}")
    repo, _, revision = source[len("hf://"):].partition("@")
    if repo.count("/") != 1:
        raise SystemExit(f"expected hf://owner/name[@revision], got {source}")
    # The model's own files only: hub repositories often carry ONNX exports and other weights beside them.
    return snapshot_download(repo_id=repo, revision=revision or None,
                             allow_patterns=["*.json", "*.bin", "*.safetensors", "*.model", "*.txt"])


def export(model_dir, out_dir):
    import tempfile

    import onnx
    import torch
    from gliner import GLiNER

    check(model_dir)
    torch.manual_seed(0)
    model = GLiNER.from_pretrained(model_dir, map_location="cpu",
                                   local_files_only=os.environ.get("HF_HUB_OFFLINE") == "1")
    model.eval()
    bi_encoder = is_set(getattr(model.config, "labels_encoder", None))
    tokenizer = fast_tokenizer(model.data_processor.transformer_tokenizer, "tokenizer.json")
    labels_tokenizer = fast_tokenizer(model.data_processor.labels_tokenizer, "labels_tokenizer.json") \
        if bi_encoder else None
    os.makedirs(out_dir, exist_ok=True)
    token_level = model.config.span_mode == "token_level"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.onnx")
        if bi_encoder:
            export_text_graph(model, path)
        else:
            model.export_to_onnx(tmp, onnx_filename="model.onnx", quantize=False)
        graph = onnx.load(path)
        check_signature(graph, token_level, bi_encoder)
        onnx.save(graph, os.path.join(out_dir, "model.onnx"))
    model.config.to_json_file(os.path.join(out_dir, "gliner_config.json"))
    save_tokenizer(tokenizer, os.path.join(out_dir, "tokenizer.json"))
    if bi_encoder:
        export_labels_encoder(model, labels_tokenizer, os.path.join(out_dir, "labels_encoder.onnx"))
        save_tokenizer(labels_tokenizer, os.path.join(out_dir, "labels_tokenizer.json"))
    else:
        # A bi-encoder's text carries no label prompt: only a uni-encoder needs <<ENT>> and <<SEP>>.
        check_tokens(model.config, out_dir)


def fast_tokenizer(tokenizer, file):
    if not getattr(tokenizer, "is_fast", False):
        raise Refused(f"the model's tokenizer ({type(tokenizer).__name__}) has no fast (tokenizers library) form; "
                      f"the engine needs {file}")
    return tokenizer


def save_tokenizer(tokenizer, path):
    # The engine budgets windows itself and must never lose words: the file carries no truncation or padding,
    # whatever state the library's own calls left the tokenizer in.
    backend = tokenizer.backend_tokenizer
    backend.no_truncation()
    backend.no_padding()
    backend.save(path)


def export_text_graph(model, path):
    """The bi-encoder's text graph through the library's own from_labels_embeddings preparation. Its
    export_to_onnx cannot take that path (gliner 0.2.29): it hands every keyword to _build_dummy_batch, which
    rejects from_labels_embeddings, and its BiEncoderWrapper names the inputs of the other path, so the embeddings
    would arrive as labels_input_ids. The library's batch, input names, dynamic axes and export call are used as
    they are; only the wrapper is ours, passing the embeddings as the model's labels_embeds."""
    import torch

    model._check_export_preconditions()
    batch = model._build_dummy_batch(**model._get_onnx_export_kwargs())
    inputs, spec = model._prepare_onnx_batch(batch, from_labels_embeddings=True)
    embeddings = model._get_embedding_input_name()

    class TextGraph(torch.nn.Module):
        def __init__(self, core, names):
            super().__init__()
            self.core = core
            self.names = ["labels_embeds" if n == embeddings else n for n in names]

        def forward(self, *args):
            return self.core(**dict(zip(self.names, args, strict=True))).logits

    wrapper = TextGraph(model.model.to("cpu").eval(), spec["input_names"]).eval()
    model._run_torch_onnx_export(wrapper, inputs, spec["input_names"], spec["output_names"], spec["dynamic_axes"],
                                 path, OPSET)


def export_labels_encoder(model, labels_tokenizer, path):
    """The library's own encode_labels (labels encoder, labels_projection when the widths differ, mean pooling
    over the attention mask) as a graph of its own, so the engine embeds each set of labels once."""
    import torch

    class LabelsEncoder(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            return self.encoder.encode_labels(input_ids, attention_mask)

    # Labels of different token counts, so the export sees padding and both axes are traced as dynamic.
    tokens = labels_tokenizer(["person", "organization", "country of birth"], return_tensors="pt", padding="longest")
    wrapper = LabelsEncoder(model.model.token_rep_layer).eval()
    with torch.no_grad():
        torch.onnx.export(wrapper, (tokens["input_ids"], tokens["attention_mask"]), path,
                          input_names=["input_ids", "attention_mask"], output_names=["labels_embeddings"],
                          dynamic_axes={"input_ids": {0: "num_labels", 1: "label_tokens"},
                                        "attention_mask": {0: "num_labels", 1: "label_tokens"},
                                        "labels_embeddings": {0: "num_labels"}},
                          opset_version=OPSET, dynamo=False)
    # The tracer leaves the width symbolic; it is the text graph's hidden size, which the engine checks against.
    import onnx

    graph = onnx.load(path)
    graph.graph.output[0].type.tensor_type.shape.dim[1].dim_value = model.config.hidden_size
    onnx.save(graph, path)
    check_labels_signature(path, model.config.hidden_size)


def check_signature(graph, token_level, bi_encoder=False):
    from onnx import TensorProto

    expected = {"input_ids": TensorProto.INT64, "attention_mask": TensorProto.INT64,
                "words_mask": TensorProto.INT64, "text_lengths": TensorProto.INT64}
    if not token_level:
        expected.update(span_idx=TensorProto.INT64, span_mask=TensorProto.BOOL)
    if bi_encoder:
        expected.update(labels_embeddings=TensorProto.FLOAT)
    declared = {i.name: i.type.tensor_type.elem_type for i in graph.graph.input}
    if declared != expected:
        raise SystemExit(f"the library's export declares inputs {declared}, the engine takes {expected}")
    outputs = [o.name for o in graph.graph.output]
    if outputs != ["logits"]:
        raise SystemExit(f"the library's export has outputs {outputs}, the engine reads one named 'logits'")


def check_labels_signature(path, hidden):
    import onnx
    from onnx import TensorProto

    graph = onnx.load(path).graph
    declared = {i.name: i.type.tensor_type.elem_type for i in graph.input}
    expected = {"input_ids": TensorProto.INT64, "attention_mask": TensorProto.INT64}
    if declared != expected:
        raise SystemExit(f"labels_encoder.onnx declares inputs {declared}, the engine feeds {expected}")
    outputs = {o.name: [d.dim_value or d.dim_param for d in o.type.tensor_type.shape.dim] for o in graph.output}
    if list(outputs) != ["labels_embeddings"] or outputs["labels_embeddings"][1:] != [hidden]:
        raise SystemExit(f"labels_encoder.onnx has outputs {outputs}, the engine reads labels_embeddings "
                         f"[num_labels, {hidden}]")


def check_tokens(config, out_dir):
    """The engine finds label slots by class_token_index: the written tokenizer must give <<ENT>> that id."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(out_dir, "tokenizer.json"))
    for field in ("ent_token", "sep_token"):
        token = getattr(config, field)
        if len(tokenizer.encode(token, add_special_tokens=False).ids) != 1:
            raise SystemExit(f"tokenizer.json has no single token for {field} '{token}'")
    ent_id = tokenizer.token_to_id(config.ent_token)
    if ent_id != config.class_token_index:
        raise SystemExit(f"tokenizer.json gives {config.ent_token} id {ent_id}, gliner_config.json class_token_index "
                         f"is {config.class_token_index}")


def backbone(out_dir):
    with open(os.path.join(out_dir, "gliner_config.json"), encoding="utf-8") as f:
        encoder = json.load(f).get("encoder_config") or {}
    heads, hidden = encoder.get("num_attention_heads"), encoder.get("hidden_size")
    if not heads or not hidden:
        raise SystemExit("gliner_config.json has no encoder_config with num_attention_heads and hidden_size")
    return f"{heads} {hidden}"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    try:
        if command == "check":
            check(args[0])
        elif command == "resolve":
            print(resolve(args[0]))
        elif command == "export":
            export(args[0], args[1])
        elif command == "backbone":
            print(backbone(args[0]))
        else:
            sys.exit(__doc__)
    except Refused as e:
        print(f"convert: refused: {e}", file=sys.stderr)
        sys.exit(REFUSED)


if __name__ == "__main__":
    main()
