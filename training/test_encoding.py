"""Checks that encoding.assemble() builds exactly the prompt the Java engine builds.

TrainingDataEncoder writes check.jsonl: for the first sentences of its split, the complete input_ids and
words_mask of PromptEncoder (the inference code) for a label list. This test assembles the same (labels,
words) from labels.json and the split's word ids and requires identical arrays. A check label missing from
labels.json (one that is not a training prompt) takes its ids from the Java prompt itself, after every other
segment matched; all structure (prefix, markers, word ids, words_mask, suffix) is still compared.

usage: python3 training/test_encoding.py ENCODED_DIR [--split train]
exit status 0 when every check line matches.
"""
import argparse
import gzip
import itertools
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from encoding import PromptFormat, assemble  # noqa: E402


def label_segments(fmt: PromptFormat, input_ids, label_count):
    """The ids between consecutive <<ENT>> markers (and before <<SEP>>) of a Java prompt."""
    position = len(fmt.prefix)
    segments = []
    for _ in range(label_count):
        if input_ids[position] != fmt.ent:
            raise AssertionError(f"expected <<ENT>> at {position}, got {input_ids[position]}")
        end = position + 1
        while input_ids[end] not in (fmt.ent, fmt.sep):
            end += 1
        segments.append(input_ids[position + 1:end])
        position = end
    return segments


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("encoded_dir")
    parser.add_argument("--split", default="train")
    args = parser.parse_args()
    folder = args.encoded_dir
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        fmt = PromptFormat(json.load(f))
    with open(os.path.join(folder, "labels.json"), encoding="utf-8") as f:
        label_ids = json.load(f)
    with open(os.path.join(folder, "check.jsonl"), encoding="utf-8") as f:
        checks = [json.loads(line) for line in f if line.strip()]
    if not checks:
        print("FAIL: check.jsonl is empty")
        return 1
    wanted = max(c["words_index"] for c in checks)
    with gzip.open(os.path.join(folder, f"{args.split}.jsonl.gz"), "rt", encoding="utf-8") as f:
        sentences = [json.loads(line) for line in itertools.islice(f, wanted + 1)]
    failures, from_prompt = 0, set()
    for check in checks:
        labels = check["labels"]
        segments = label_segments(fmt, check["input_ids"], len(labels))
        ids = []
        for label, segment in zip(labels, segments):
            if label in label_ids:
                ids.append(label_ids[label])
            else:
                from_prompt.add(label)
                ids.append(segment)
        input_ids, words_mask = assemble(fmt, ids, sentences[check["words_index"]]["words"])
        if input_ids != check["input_ids"] or words_mask != check["words_mask"]:
            failures += 1
            print(f"MISMATCH sentence {check['words_index']} labels {labels}\n python input_ids {input_ids}\n"
                  f" java   input_ids {check['input_ids']}\n python words_mask {words_mask}\n"
                  f" java   words_mask {check['words_mask']}")
    print(f"{len(checks) - failures}/{len(checks)} Java prompt encodings reproduced"
          + (f" (ids of {sorted(from_prompt)} read from the Java prompt)" if from_prompt else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
