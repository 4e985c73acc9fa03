"""Checks a converted bi-encoder bundle against the reference library without our engine: the labels go through
labels_tokenizer.json and labels_encoder.onnx as the engine runs them (each label one sentence with the tokenizer's
special tokens, padded to the longest), the texts through tokenizer.json (`[CLS] words [SEP]`), and model.onnx's
logits are compared with those of the library's own forward pass (the one predict_entities runs) on the same texts
and labels. Two steps, as the two pinned venvs hold torch and tokenizers apart from onnxruntime:

  training/work/venv-reference/bin/python training/bi_encoder_check.py reference MODEL_DIR BUNDLE TEXTS.jsonl LABELS \
      OUT.npz
      the library's batches (its own preprocessing) and logits, one text per batch, and the ids BUNDLE's
      tokenizer.json and labels_tokenizer.json give the words and the labels
  training/work/venv-onnx/bin/python training/bi_encoder_check.py onnx BUNDLE OUT.npz [GRAPH]
      prints one JSON line: texts, identical_tokens (texts whose tokenizer.json ids equal the library's),
      max_logit_diff, max_label_embedding_diff, same_decision (share of span x label logits on the same side of
      every threshold the library's sigmoid applies: > 0 vs <= 0 at 0.5), argmax_agreement (share of valid spans
      whose best label is the same); exits 1 when a tokenization differs or max_logit_diff exceeds MAX_LOGIT_DIFF
      (default 1e-3). GRAPH: the text graph file in BUNDLE (default model.onnx).
"""
import json
import os
import sys

import numpy as np

BATCH_KEYS = ("input_ids", "attention_mask", "words_mask", "text_lengths", "span_idx", "span_mask")


def reference(model_dir, bundle, texts_path, labels, out):
    import torch
    from gliner import GLiNER
    from tokenizers import Tokenizer

    torch.set_num_threads(2)
    model = GLiNER.from_pretrained(model_dir, local_files_only=True, map_location="cpu")
    model.eval()
    arrays = {"labels": np.array(labels)}
    labels_tokenizer = Tokenizer.from_file(os.path.join(bundle, "labels_tokenizer.json"))
    for i, encoding in enumerate(labels_tokenizer.encode_batch(labels)):
        arrays[f"label{i}.ids"] = np.array(encoding.ids, dtype=np.int64)
    tokenizer = Tokenizer.from_file(os.path.join(bundle, "tokenizer.json"))
    with open(texts_path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    count = 0
    for row in rows:
        batch = model._build_dummy_batch(labels=labels, text=row["text"])
        if batch["input_ids"].shape[1] > model.config.max_len:
            continue  # the library truncates such a text, the engine windows it: not the same input
        with torch.no_grad():
            logits = model.model(**{k: v for k, v in batch.items() if isinstance(v, torch.Tensor)}).logits
        tokens, _, _ = model.prepare_inputs([row["text"]])
        arrays[f"{count}.bundle_ids"] = np.array(tokenizer.encode(tokens[0], is_pretokenized=True).ids,
                                                 dtype=np.int64)
        arrays[f"{count}.logits"] = logits.numpy()
        for key in BATCH_KEYS:
            if key in batch:
                arrays[f"{count}.{key}"] = batch[key].numpy()
        count += 1
    arrays["texts"] = np.array(count)
    np.savez(out, **arrays)


def onnx_check(bundle, dump, graph):
    import onnxruntime as ort

    data = np.load(dump)
    labels = [str(x) for x in data["labels"]]
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    labels_session = ort.InferenceSession(os.path.join(bundle, "labels_encoder.onnx"), options,
                                          providers=["CPUExecutionProvider"])
    text_session = ort.InferenceSession(os.path.join(bundle, graph), options, providers=["CPUExecutionProvider"])
    text_inputs = {i.name for i in text_session.get_inputs()}

    encodings = [data[f"label{i}.ids"] for i in range(len(labels))]
    width = max(len(e) for e in encodings)
    # Padding id 0 (any id would do: the attention mask hides it from the encoder and the pooling)
    ids = np.zeros((len(labels), width), dtype=np.int64)
    mask = np.zeros((len(labels), width), dtype=np.int64)
    for row, e in enumerate(encodings):
        ids[row, :len(e)] = e
        mask[row, :len(e)] = 1
    embeddings = labels_session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
    # Each label alone, unpadded: padding beside the others must not change a label's embedding.
    alone = np.concatenate([labels_session.run(None, {"input_ids": e[None, :],
                                                      "attention_mask": np.ones((1, len(e)), dtype=np.int64)})[0]
                            for e in encodings])
    embedding_diff = float(np.abs(alone - embeddings).max())

    texts = int(data["texts"])
    identical_tokens, max_diff, same, decisions, agree, spans = 0, 0.0, 0, 0, 0, 0
    for i in range(texts):
        identical_tokens += data[f"{i}.bundle_ids"].tolist() == data[f"{i}.input_ids"][0].tolist()
        feeds = {k: data[f"{i}.{k}"] for k in BATCH_KEYS if k in text_inputs}
        feeds["labels_embeddings"] = embeddings.astype(np.float32)
        logits = text_session.run(None, feeds)[0]
        expected = data[f"{i}.logits"]
        valid = data[f"{i}.span_mask"].reshape(expected.shape[:3]) if "span_mask" in text_inputs else None
        diff = np.abs(logits.astype(np.float64) - expected)
        if valid is not None:
            diff = diff[valid]
            logits, expected = logits[valid], expected[valid]
        max_diff = max(max_diff, float(diff.max(initial=0.0)))
        same += int(((logits > 0) == (expected > 0)).sum())
        decisions += logits.size
        agree += int((logits.argmax(-1) == expected.argmax(-1)).sum())
        spans += logits.shape[0] if valid is not None else int(np.prod(logits.shape[:-1]))
    limit = float(os.environ.get("MAX_LOGIT_DIFF", "1e-3"))
    result = {"graph": graph, "texts": texts, "labels": labels, "identical_tokens": identical_tokens,
              "max_logit_diff": max_diff, "max_label_embedding_diff": embedding_diff,
              "same_decision": same / max(decisions, 1), "argmax_agreement": agree / max(spans, 1)}
    print(json.dumps(result))
    return identical_tokens == texts and max_diff <= limit and embedding_diff <= limit


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    if sys.argv[1] == "reference" and len(sys.argv) == 7:
        reference(sys.argv[2], sys.argv[3], sys.argv[4], [x.strip() for x in sys.argv[5].split(",")], sys.argv[6])
    elif sys.argv[1] == "onnx" and len(sys.argv) in (4, 5):
        sys.exit(0 if onnx_check(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else "model.onnx")
                 else 1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
