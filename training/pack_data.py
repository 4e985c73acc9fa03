"""Packs the Java TrainingDataEncoder output into one compact .npz that travels to the training machine.

Input folder (written by io.glinerspark.training.TrainingDataEncoder):
  meta.json       {"prefix": [...], "suffix": [...], "ent": id, "sep": id, "pad": id, "max_width": K}
  labels.json     {"prompt text": [sub-token ids], ...}  for every synonym in label_names.json
  *.jsonl.gz      {"dataset": str, "words": [[ids], ...], "spans": [[startWord, endWord, "type"], ...]}
label_names.json  {"type": ["canonical prompt", "synonym", ...], ...}, looked up with the type lower-cased
                  and "_" read as " ".

The pack stores ids as uint16 (the vocabulary has 30,525 ids) so the whole training set stays a few MB.
Spans wider than the model's max_width cannot be scored and are dropped (counted in the printed summary).

usage: python3 training/pack_data.py ENCODED_DIR [--labels training/label_names.json]
       [--out training/work/train_pack.npz] [--max-per-dataset N] [--keep-empty 0.3] [--exclude-dataset NAME ...]
"""
import argparse
import glob
import gzip
import json
import os
import random
from collections import Counter, defaultdict

import numpy as np


def type_key(type_name: str) -> str:
    return type_name.lower().replace("_", " ")


def read_sentences(paths):
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("encoded_dir")
    parser.add_argument("--labels", default=os.path.join(os.path.dirname(__file__), "label_names.json"))
    parser.add_argument("--out", default="training/work/train_pack.npz")
    parser.add_argument("--inputs", nargs="*", help="jsonl.gz files (default: every *.jsonl.gz in ENCODED_DIR)")
    parser.add_argument("--max-per-dataset", type=int, default=0, help="keep at most N sentences per dataset")
    parser.add_argument("--keep-empty", type=float, default=1.0,
                        help="fraction of entity-less sentences kept (they are cheap negatives but plentiful)")
    parser.add_argument("--exclude-dataset", nargs="*", default=[])
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    with open(os.path.join(args.encoded_dir, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    with open(os.path.join(args.encoded_dir, "labels.json"), encoding="utf-8") as f:
        prompt_ids = json.load(f)
    with open(args.labels, encoding="utf-8") as f:
        synonyms = json.load(f)
    missing = sorted({s for names in synonyms.values() for s in names} - set(prompt_ids))
    if missing:
        raise SystemExit(f"labels.json lacks ids for {len(missing)} prompt texts, e.g. {missing[:5]}")
    empty = sorted(p for p, ids in prompt_ids.items() if not ids)
    if empty:
        raise SystemExit(f"prompt texts with no sub-token: {empty}")

    paths = args.inputs or sorted(glob.glob(os.path.join(args.encoded_dir, "*.jsonl.gz")))
    rng = random.Random(args.seed)
    by_dataset = defaultdict(list)
    unknown_types = Counter()
    for sentence in read_sentences(paths):
        if sentence["dataset"] in args.exclude_dataset or not sentence["words"]:
            continue
        for _, _, type_name in sentence["spans"]:
            if type_key(type_name) not in synonyms:
                unknown_types[(sentence["dataset"], type_name)] += 1
        by_dataset[sentence["dataset"]].append(sentence)
    if unknown_types:
        raise SystemExit(f"types missing from {args.labels}: {dict(unknown_types)}")

    type_names = sorted(synonyms)
    type_index = {t: i for i, t in enumerate(type_names)}
    prompt_texts = sorted({s for names in synonyms.values() for s in names})
    prompt_index = {p: i for i, p in enumerate(prompt_texts)}
    max_width = int(meta["max_width"])

    tokens, word_lengths, word_offsets = [], [], [0]
    spans, span_offsets, sentence_dataset = [], [0], []
    dataset_names = sorted(by_dataset)
    dataset_types = []
    summary = []
    too_wide = Counter()
    for d, name in enumerate(dataset_names):
        sentences = by_dataset[name]
        rng.shuffle(sentences)
        sentences = [s for s in sentences if s["spans"] or rng.random() < args.keep_empty]
        if args.max_per_dataset:
            sentences = sentences[:args.max_per_dataset]
        seen_types = set()
        for sentence in sentences:
            for ids in sentence["words"]:
                tokens.extend(ids)
                word_lengths.append(len(ids))
            word_offsets.append(len(word_lengths))
            for start, end, type_name in sentence["spans"]:
                if end - start + 1 > max_width or start < 0 or end >= len(sentence["words"]) or end < start:
                    too_wide[name] += 1
                    continue
                t = type_index[type_key(type_name)]
                seen_types.add(t)
                spans.append((start, end, t))
            span_offsets.append(len(spans))
            sentence_dataset.append(d)
        dataset_types.append(sorted(seen_types))
        summary.append((name, len(sentences), len(seen_types)))

    if max(tokens, default=0) > 65535:
        raise SystemExit("a token id does not fit uint16")
    label_tokens, label_offsets = [], [0]
    for p in prompt_texts:
        label_tokens.extend(prompt_ids[p])
        label_offsets.append(len(label_tokens))
    type_prompts = [[prompt_index[s] for s in synonyms[t]] for t in type_names]
    info = {"meta": meta, "datasets": dataset_names, "dataset_types": dataset_types, "types": type_names,
            "prompts": prompt_texts, "type_prompts": type_prompts}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez_compressed(
        args.out,
        info=np.frombuffer(json.dumps(info).encode("utf-8"), dtype=np.uint8),
        tokens=np.asarray(tokens, dtype=np.uint16),
        word_lengths=np.asarray(word_lengths, dtype=np.uint16),
        word_offsets=np.asarray(word_offsets, dtype=np.int64),
        spans=np.asarray(spans, dtype=np.int32).reshape(-1, 3),
        span_offsets=np.asarray(span_offsets, dtype=np.int64),
        sentence_dataset=np.asarray(sentence_dataset, dtype=np.int16),
        label_tokens=np.asarray(label_tokens, dtype=np.uint16),
        label_offsets=np.asarray(label_offsets, dtype=np.int64))
    for name, count, type_count in summary:
        print(f"{name:28s} {count:7d} sentences {type_count:4d} types" +
              (f"  ({too_wide[name]} spans wider than {max_width} dropped)" if too_wide[name] else ""))
    print(f"{len(sentence_dataset)} sentences, {len(word_lengths)} words, {len(tokens)} sub-tokens, {len(spans)} spans"
          f" -> {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
