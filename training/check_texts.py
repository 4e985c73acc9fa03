"""Picks texts from JSONL files ("id", "text") evenly spaced through each file, skipping blank texts and texts of
more than MAX_WORDS words (neither the engine nor the reference library windows or truncates those), and writes
them as JSONL with ids prefixed by the file's name: {"id": "en_docs:17", "text": ...}.

usage: python3 training/check_texts.py [--max-words 300] FILE.jsonl[:COUNT] ... > TEXTS.jsonl
       (COUNT: how many to take from that file; all that qualify when left out)
"""
import argparse
import json
import os
import re

WORDS = re.compile(r"\w+(?:[-_]\w+)*|\S")


def pick(path, count, max_words):
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    rows = [r for r in rows if r["text"].strip() and len(WORDS.findall(r["text"])) <= max_words]
    if count is None or count >= len(rows):
        return rows
    step = len(rows) / count
    return [rows[int(i * step)] for i in range(count)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-words", type=int, default=300)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    for spec in args.files:
        path, _, count = spec.rpartition(":") if re.search(r":\d+$", spec) else (spec, "", "")
        name = os.path.splitext(os.path.basename(path))[0]
        for row in pick(path, int(count) if count else None, args.max_words):
            print(json.dumps({"id": f"{name}:{row['id']}", "text": row["text"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
