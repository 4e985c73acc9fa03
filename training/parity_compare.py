"""Compares two entity JSONL files line by line (same ids, same order) and prints one JSON line:
{"texts": N, "identical": N, "max_score_diff": x, "entities": N} where a text is identical when both sides give
the same (start, end, text, label) set, and the score difference is over the entities both sides found.
Every differing text goes to stderr with both entity lists.

usage: python3 training/parity_compare.py REFERENCE.jsonl OURS.jsonl
"""
import json
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    reference, ours = read(sys.argv[1]), read(sys.argv[2])
    if [r["id"] for r in reference] != [o["id"] for o in ours]:
        sys.exit("the two files do not hold the same ids in the same order")
    identical, max_diff, entities = 0, 0.0, 0
    for ref, own in zip(reference, ours):
        if "error" in own or "error" in ref:
            print(f"{ref['id']}: error {own.get('error') or ref.get('error')}", file=sys.stderr)
            continue
        key = lambda e: (e["start"], e["end"], e["text"], e["label"])  # noqa: E731
        ref_scores = {key(e): e["score"] for e in ref["entities"]}
        own_scores = {key(e): e["score"] for e in own["entities"]}
        entities += len(ref_scores)
        for k in ref_scores.keys() & own_scores.keys():
            max_diff = max(max_diff, abs(ref_scores[k] - own_scores[k]))
        if ref_scores.keys() == own_scores.keys():
            identical += 1
        else:
            print(f"{ref['id']}: reference only {sorted(ref_scores.keys() - own_scores.keys())}, "
                  f"ours only {sorted(own_scores.keys() - ref_scores.keys())}", file=sys.stderr)
            for k in sorted(ref_scores.keys() ^ own_scores.keys()):
                print(f"    {k}: reference {ref_scores.get(k)}, ours {own_scores.get(k)}", file=sys.stderr)
    print(json.dumps({"texts": len(reference), "identical": identical, "max_score_diff": round(max_diff, 7),
                      "entities": entities}))


if __name__ == "__main__":
    main()
