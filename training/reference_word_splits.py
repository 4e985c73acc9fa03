"""The reference's word splits, for comparing the engine's WordSplitter with them (WordSplitterParityTest).

The reference library splits text with the regex \\w+(?:[-_]\\w+)*|\\S under Python's `re` (gliner's
WhitespaceTokenSplitter, the 'whitespace' words_splitter_type); the splits depend on the Unicode tables of the
Python that runs it, which this script reports.

  python3 training/reference_word_splits.py [--gliner] texts < LINES
      each input line is a JSON string, or an object with a "text" field (a corpus jsonl); prints one line per
      input line: the words' "start:end" offsets in code points, space-separated
  python3 training/reference_word_splits.py [--gliner] classes
      prints how the splitter treats every code point: "word" (joins a word), "space" (no word) or "other" (a
      word of its own), and "unassigned" for an unassigned code point (category Cn, a word of its own), as
      "FIRST LAST CLASS" ranges, after a first line "unicode VERSION"

--gliner splits with the installed gliner's own WhitespaceTokenSplitter (the reference venv), otherwise with the
same regex compiled here (any python3).
"""
import json
import re
import sys
import unicodedata

PATTERN = r"\w+(?:[-_]\w+)*|\S"


def splitter(use_gliner):
    if use_gliner:
        from gliner.data_processing.tokenizer import WhitespaceTokenSplitter

        reference = WhitespaceTokenSplitter()
        if reference.whitespace_pattern.pattern != PATTERN:
            raise SystemExit(f"the installed gliner splits with {reference.whitespace_pattern.pattern!r}, "
                             f"not {PATTERN!r}: the engine's WordSplitter follows the latter")
        return reference
    compiled = re.compile(PATTERN)
    return lambda text: ((m.group(), m.start(), m.end()) for m in compiled.finditer(text))


def split_texts(split, lines):
    out = sys.stdout
    for line in lines:
        value = json.loads(line)
        text = value["text"] if isinstance(value, dict) else value
        words = []
        for word, start, end in split(text):
            if text[start:end] != word:
                raise SystemExit(f"the splitter's word {word!r} is not text[{start}:{end}] of {text!r}")
            words.append(f"{start}:{end}")
        out.write(" ".join(words) + "\n")


def classify(split, code_point):
    char = chr(code_point)
    if unicodedata.category(char) == "Cn":
        return "unassigned"
    if not list(split(char)):
        return "space"
    # A character that continues the word "a" is a word character (\w); otherwise it stands alone (\S).
    return "word" if [w for w, _, _ in split("a" + char)] == ["a" + char] else "other"


def classes(split):
    print(f"unicode {unicodedata.unidata_version}")
    first, current = 0, classify(split, 0)
    for code_point in range(1, sys.maxunicode + 1):
        kind = classify(split, code_point)
        if kind != current:
            print(f"{first} {code_point - 1} {current}")
            first, current = code_point, kind
    print(f"{first} {sys.maxunicode} {current}")


def main():
    args = sys.argv[1:]
    use_gliner = "--gliner" in args
    args = [a for a in args if a != "--gliner"]
    if args not in (["texts"], ["classes"]):
        raise SystemExit(__doc__)
    split = splitter(use_gliner)
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    sys.stdin.reconfigure(encoding="utf-8")
    if args == ["texts"]:
        split_texts(split, sys.stdin)
    else:
        classes(split)


if __name__ == "__main__":
    main()
