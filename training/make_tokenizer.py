"""Builds a GLiNER tokenizer.json from a backbone's HF tokenizer.json.

GLiNER appends three tokens to the backbone vocabulary, in this order: [FLERT], <<ENT>>, <<SEP>>, so that
class_token_index (the id of <<ENT>>) is len(tokenizer) - 2. Truncation and padding are removed because the
engine budgets windows itself and must never lose words silently.

usage: python3 training/make_tokenizer.py BACKBONE_TOKENIZER_JSON OUT_TOKENIZER_JSON
"""
import json
import sys

GLINER_TOKENS = ["[FLERT]", "<<ENT>>", "<<SEP>>"]


def build(backbone: dict) -> dict:
    tokenizer = dict(backbone)
    tokenizer["truncation"] = None
    tokenizer["padding"] = None
    vocab_size = len(tokenizer["model"]["vocab"])
    added = list(tokenizer["added_tokens"])
    for offset, content in enumerate(GLINER_TOKENS):
        added.append({"id": vocab_size + offset, "content": content, "single_word": False, "lstrip": False,
                      "rstrip": False, "normalized": False, "special": True})
    tokenizer["added_tokens"] = added
    return tokenizer


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        backbone = json.load(f)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(build(backbone), f, ensure_ascii=False)


if __name__ == "__main__":
    main()
