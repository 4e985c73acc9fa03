"""Runs the reference GLiNER library on JSONL texts, offline, and writes the same JSONL as `jobs/gliner.sh extract`.

usage: HF_HUB_OFFLINE=1 python training/reference_predict.py MODEL_DIR TEXTS.jsonl LABELS [THRESHOLD [DESCRIPTIONS]]
       > OUT.jsonl
       (LABELS: comma-separated; flat decoding, threshold 0.5 unless given, one label per span, one text per call;
        DESCRIPTIONS: a JSON object of label to description: the library is then given the mapping of every label
        to its description, or to itself when it has none, which puts the descriptions into its prompts;
        REFERENCE_STRICT=0 loads the weights as the library does by default, without requiring every parameter)
"""
import json
import os
import sys

import torch
from gliner import GLiNER


def main():
    model_dir, texts_path, labels = sys.argv[1], sys.argv[2], [x.strip() for x in sys.argv[3].split(",")]
    threshold = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4].strip() else 0.5
    descriptions = json.loads(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5].strip() else {}
    if descriptions:
        unknown = sorted(set(descriptions) - set(labels))
        if unknown:
            sys.exit(f"reference_predict: descriptions of labels not in LABELS: {unknown}")
        labels = {label: descriptions.get(label, label) for label in labels}
    strict = os.environ.get("REFERENCE_STRICT", "1") != "0"
    torch.set_num_threads(2)
    model = GLiNER.from_pretrained(model_dir, local_files_only=True, strict=strict)
    model.eval()
    with open(texts_path, encoding="utf-8") as f, torch.no_grad():
        for line in f:
            row = json.loads(line)
            entities = model.predict_entities(row["text"], labels, flat_ner=True, threshold=threshold,
                                              multi_label=False)
            print(json.dumps({"id": row["id"], "entities": [
                {"start": e["start"], "end": e["end"], "text": e["text"], "label": e["label"], "score": e["score"]}
                for e in entities]}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
