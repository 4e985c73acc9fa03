"""Assembles model inputs from sub-token ids produced by the Java engine's TrainingDataEncoder.

The Java engine is the one implementation of tokenization; this module only concatenates its ids in the
engine's prompt order, so a training example and an inference request of the same (labels, words) give the
same tensors:

    prefix + for each label: [ent] + label ids ... + [sep] + ids of word 0 + ids of word 1 ... + suffix

words_mask holds i+1 at the first sub-token of text word i; a word with no sub-token has no entry.
"""
import numpy as np


class PromptFormat:
    """The special ids of meta.json written by the Java encoder."""

    def __init__(self, meta: dict):
        self.prefix = list(meta["prefix"])
        self.suffix = list(meta["suffix"])
        self.ent = int(meta["ent"])
        self.sep = int(meta["sep"])
        self.pad = int(meta["pad"])
        self.max_width = int(meta["max_width"])


def assemble(fmt: PromptFormat, label_token_ids, word_token_ids):
    """(input_ids, words_mask) of one text: label_token_ids is a list of id lists, one per label."""
    input_ids = list(fmt.prefix)
    for ids in label_token_ids:
        input_ids.append(fmt.ent)
        input_ids.extend(ids)
    input_ids.append(fmt.sep)
    words_mask = [0] * len(input_ids)
    for word_index, ids in enumerate(word_token_ids):
        for j, token in enumerate(ids):
            input_ids.append(token)
            words_mask.append(word_index + 1 if j == 0 else 0)
    input_ids.extend(fmt.suffix)
    words_mask.extend([0] * len(fmt.suffix))
    return input_ids, words_mask


def span_grid(words_count: int, max_width: int, padded_words: int):
    """span_idx [padded_words*K, 2] and span_mask [padded_words*K] in the contract's row order s*K + k."""
    starts = np.repeat(np.arange(padded_words), max_width)
    widths = np.tile(np.arange(max_width), padded_words)
    ends = starts + widths
    mask = ends < words_count
    span_idx = np.stack([starts, ends], axis=1) * mask[:, None]
    return span_idx.astype(np.int64), mask


def collate(fmt: PromptFormat, examples):
    """Pads a list of (label_token_ids, word_token_ids) into the six model inputs as numpy arrays.

    Label counts may differ between rows: the model derives each row's label mask from its <<ENT>> count.
    """
    assembled = [assemble(fmt, labels, words) for labels, words in examples]
    rows = len(examples)
    seq = max(len(ids) for ids, _ in assembled)
    padded_words = max(1, max(len(words) for _, words in examples))
    k = fmt.max_width
    input_ids = np.full((rows, seq), fmt.pad, dtype=np.int64)
    attention_mask = np.zeros((rows, seq), dtype=np.int64)
    words_mask = np.zeros((rows, seq), dtype=np.int64)
    text_lengths = np.zeros((rows, 1), dtype=np.int64)
    span_idx = np.zeros((rows, padded_words * k, 2), dtype=np.int64)
    span_mask = np.zeros((rows, padded_words * k), dtype=bool)
    for row, ((ids, mask), (_, words)) in enumerate(zip(assembled, examples)):
        input_ids[row, :len(ids)] = ids
        attention_mask[row, :len(ids)] = 1
        words_mask[row, :len(mask)] = mask
        text_lengths[row, 0] = len(words)
        span_idx[row], span_mask[row] = span_grid(len(words), k, padded_words)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "words_mask": words_mask,
            "text_lengths": text_lengths, "span_idx": span_idx, "span_mask": span_mask}


INPUT_NAMES = ["input_ids", "attention_mask", "words_mask", "text_lengths", "span_idx", "span_mask"]
