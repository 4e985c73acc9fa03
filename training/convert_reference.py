"""A model of the reference GLiNER library (the folder `GLiNER.save_pretrained` writes, or a hub id) -> the float32
bundle our engine loads: model.onnx from the library's own `export_to_onnx`, tokenizer.json (the fast tokenizer
the library runs, GLiNER's added tokens included; a sentencepiece backbone is converted by transformers), and
gliner_config.json as the library writes it.

  python3 training/convert_reference.py check MODEL_DIR
      refuses, naming the gliner_config.json field, a model the engine cannot run (standard library only, so it
      runs before any venv exists)
  python training/convert_reference.py resolve hf://owner/name[@revision]
      downloads the model with huggingface_hub and prints its local folder
  python training/convert_reference.py export MODEL_DIR OUT_DIR
      writes OUT_DIR/{model.onnx, tokenizer.json, gliner_config.json} (the reference venv: torch, gliner)
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


class Refused(Exception):
    pass


def is_set(value):
    return value is not None and value is not False and value != "" and value != {}


def check_config(config):
    """Raises Refused naming the first field that makes the model one our engine cannot run."""
    if config.get("model_type") == "gliner_streaming_span":
        raise Refused("model_type is 'gliner_streaming_span': streaming span models keep a cache between calls; "
                      "only uni-encoder span and token-level models can be converted")
    architectures = (
        ("labels_encoder", "a bi-encoder model (labels are embedded by a separate encoder)"),
        ("labels_decoder", "a model that generates its labels with a decoder"),
        ("relations_layer", "a relation-extraction model (relation heads)"),
        ("triples_layer", "a relation-extraction model (triple heads)"),
        ("precomputed_prompts_mode", "a model that takes precomputed label embeddings"),
    )
    for field, what in architectures:
        if is_set(config.get(field)):
            raise Refused(f"{field} is set ({json.dumps(config[field])[:80]}): this is {what}; the engine runs "
                          "only uni-encoder span and token-level models")
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
    tokenizer = model.data_processor.transformer_tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise Refused(f"the model's tokenizer ({type(tokenizer).__name__}) has no fast (tokenizers library) form; "
                      "the engine needs tokenizer.json")
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = model.export_to_onnx(tmp, onnx_filename="model.onnx", quantize=False)
        graph = onnx.load(paths["onnx_path"])
        check_signature(graph, model.config.span_mode == "token_level")
        onnx.save(graph, os.path.join(out_dir, "model.onnx"))
    model.config.to_json_file(os.path.join(out_dir, "gliner_config.json"))
    # The engine budgets windows itself and must never lose words: the file carries no truncation or padding,
    # whatever state the library's own calls left the tokenizer in.
    backend = tokenizer.backend_tokenizer
    backend.no_truncation()
    backend.no_padding()
    backend.save(os.path.join(out_dir, "tokenizer.json"))
    check_tokens(model.config, out_dir)


def check_signature(graph, token_level):
    from onnx import TensorProto

    expected = {"input_ids": TensorProto.INT64, "attention_mask": TensorProto.INT64,
                "words_mask": TensorProto.INT64, "text_lengths": TensorProto.INT64}
    if not token_level:
        expected.update(span_idx=TensorProto.INT64, span_mask=TensorProto.BOOL)
    declared = {i.name: i.type.tensor_type.elem_type for i in graph.graph.input}
    if declared != expected:
        raise SystemExit(f"the library's export declares inputs {declared}, the engine takes {expected}")
    outputs = [o.name for o in graph.graph.output]
    if outputs != ["logits"]:
        raise SystemExit(f"the library's export has outputs {outputs}, the engine reads one named 'logits'")


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
