"""Training examples from a pack (see pack_data.py): dataset sampling, prompt sampling, length-bucketed batches.

Per sentence, as in the GLiNER paper: its positive types are named by a random synonym (one per type for the
whole sentence), negative types are added (from the sentence's own dataset, where absence is a true
negative, and from the global pool, where a type sharing a word with a positive one is skipped as likely
overlapping), then labels are randomly dropped, shuffled and capped.
"""
import json

import numpy as np

from encoding import PromptFormat, collate

MAX_POSITIONS = 512
MAX_WORDS = 384


class TrainingPack:
    def __init__(self, path):
        arrays = np.load(path)
        info = json.loads(arrays["info"].tobytes().decode("utf-8"))
        self.fmt = PromptFormat(info["meta"])
        self.datasets = info["datasets"]
        self.dataset_types = info["dataset_types"]
        self.types = info["types"]
        self.prompts = info["prompts"]
        self.type_prompts = info["type_prompts"]
        self.tokens = arrays["tokens"].astype(np.int64)
        word_lengths = arrays["word_lengths"].astype(np.int64)
        self.word_token_offsets = np.concatenate([[0], np.cumsum(word_lengths)])
        self.word_offsets = arrays["word_offsets"]
        self.spans = arrays["spans"]
        self.span_offsets = arrays["span_offsets"]
        self.sentence_dataset = arrays["sentence_dataset"].astype(np.int64)
        label_tokens = arrays["label_tokens"].astype(np.int64)
        label_offsets = arrays["label_offsets"]
        self.prompt_tokens = [label_tokens[label_offsets[i]:label_offsets[i + 1]].tolist()
                              for i in range(len(self.prompts))]
        self.sentences_of_dataset = [np.nonzero(self.sentence_dataset == d)[0] for d in range(len(self.datasets))]
        self.type_words = [{w for p in prompts for w in self.prompts[p].replace("-", " ").split() if len(w) > 3}
                           for prompts in self.type_prompts]

    def __len__(self):
        return len(self.sentence_dataset)

    def words(self, sentence):
        first, last = self.word_offsets[sentence], self.word_offsets[sentence + 1]
        bounds = self.word_token_offsets[first:last + 1]
        return [self.tokens[bounds[i]:bounds[i + 1]].tolist() for i in range(last - first)]

    def gold(self, sentence):
        return self.spans[self.span_offsets[sentence]:self.span_offsets[sentence + 1]]

    def sentence_tokens(self, sentence):
        first, last = self.word_offsets[sentence], self.word_offsets[sentence + 1]
        return int(self.word_token_offsets[last] - self.word_token_offsets[first])


class DatasetSampler:
    """Draws sentences: a dataset with probability ~ size**temperature (times its weight), then a sentence
    of it without replacement until the dataset is exhausted, then reshuffled."""

    def __init__(self, pack: TrainingPack, rng: np.random.Generator, temperature=0.5, weights=None):
        self.pack = pack
        self.rng = rng
        sizes = np.array([len(s) for s in pack.sentences_of_dataset], dtype=np.float64)
        boost = np.array([(weights or {}).get(name, 1.0) for name in pack.datasets])
        p = np.where(sizes > 0, sizes ** temperature, 0.0) * boost
        self.probabilities = p / p.sum()
        self.orders = [rng.permutation(s) for s in pack.sentences_of_dataset]
        self.positions = [0] * len(pack.datasets)

    def state(self):
        return {"orders": [o.tolist() for o in self.orders], "positions": list(self.positions)}

    def load_state(self, state):
        self.orders = [np.asarray(o, dtype=np.int64) for o in state["orders"]]
        self.positions = list(state["positions"])

    def draw(self, count):
        chosen = self.rng.choice(len(self.probabilities), size=count, p=self.probabilities)
        out = []
        for d in chosen:
            if self.positions[d] >= len(self.orders[d]):
                self.orders[d] = self.rng.permutation(self.pack.sentences_of_dataset[d])
                self.positions[d] = 0
            out.append(int(self.orders[d][self.positions[d]]))
            self.positions[d] += 1
        return out


class PromptSampler:
    def __init__(self, pack: TrainingPack, rng: np.random.Generator, max_labels=25, canonical_probability=0.5,
                 drop_probability=0.5, own_dataset_negative_share=0.5):
        self.pack = pack
        self.rng = rng
        self.max_labels = max_labels
        self.canonical_probability = canonical_probability
        self.drop_probability = drop_probability
        self.own_share = own_dataset_negative_share
        self.pool = sorted({t for types in pack.dataset_types for t in types})

    def prompt_of(self, type_id):
        prompts = self.pack.type_prompts[type_id]
        if len(prompts) == 1 or self.rng.random() < self.canonical_probability:
            return prompts[0]
        return prompts[1 + self.rng.integers(len(prompts) - 1)]

    def negatives(self, sentence, positives, count):
        own = [t for t in self.pack.dataset_types[self.pack.sentence_dataset[sentence]] if t not in positives]
        positive_words = set().union(*[self.pack.type_words[t] for t in positives]) if positives else set()
        chosen = []
        for _ in range(count):
            if own and self.rng.random() < self.own_share:
                t = own[self.rng.integers(len(own))]
            else:
                t = self.pool[self.rng.integers(len(self.pool))]
                if t in positives or self.pack.type_words[t] & positive_words:
                    continue
            if t not in chosen:
                chosen.append(t)
        return chosen

    def labels_for(self, sentence):
        """(prompt ids in prompt order, {type id: label index})."""
        gold = self.pack.gold(sentence)
        positives = sorted({int(t) for t in gold[:, 2]})
        negative_count = int(self.rng.integers(max(1, len(positives) // 2), len(positives) + 3))
        types = positives + self.negatives(sentence, set(positives), negative_count)
        self.rng.shuffle(types)
        if self.rng.random() < self.drop_probability:
            types = types[:int(self.rng.integers(1, len(types) + 1))]
        types = types[:self.max_labels]
        prompts, label_of_type = [], {}
        for t in types:
            p = self.prompt_of(t)
            if p in prompts:
                p = self.pack.type_prompts[t][0]
            if p in prompts:
                continue
            label_of_type[t] = len(prompts)
            prompts.append(p)
        return prompts, label_of_type


class Batch:
    def __init__(self, inputs, targets, sentences, tokens):
        self.inputs = inputs        # the six model inputs (numpy)
        self.targets = targets      # float32 [B, W, K, C]
        self.sentences = sentences
        self.tokens = tokens        # non-padding sub-tokens, for throughput logs


def fit_words(fmt, prompt_token_count, words):
    """Words kept so the whole prompt fits the encoder's positions and the model's word limit."""
    budget = MAX_POSITIONS - len(fmt.prefix) - len(fmt.suffix) - prompt_token_count
    used = 0
    for i, ids in enumerate(words[:MAX_WORDS]):
        used += len(ids)
        if used > budget:
            return i
    return min(len(words), MAX_WORDS)


def build_batch(pack: TrainingPack, sentences, choose_labels):
    """choose_labels(sentence) -> (prompt ids in prompt order, {type id: label index})."""
    fmt = pack.fmt
    k = fmt.max_width
    examples, golds = [], []
    for s in sentences:
        prompt_ids, label_of_type = choose_labels(s)
        label_tokens = [pack.prompt_tokens[p] for p in prompt_ids]
        prompt_token_count = sum(len(t) + 1 for t in label_tokens) + 1
        words = pack.words(s)
        words = words[:fit_words(fmt, prompt_token_count, words)]
        examples.append((label_tokens, words))
        golds.append([(int(a), int(b), label_of_type[int(t)]) for a, b, t in pack.gold(s)
                      if int(t) in label_of_type and int(b) < len(words)])
    inputs = collate(fmt, examples)
    w = inputs["span_idx"].shape[1] // k
    c = max(1, max(len(labels) for labels, _ in examples))
    targets = np.zeros((len(sentences), w, k, c), dtype=np.float32)
    for row, gold in enumerate(golds):
        for start, end, label in gold:
            targets[row, start, end - start, label] = 1.0
    tokens = int(inputs["attention_mask"].sum())
    return Batch(inputs, targets, sentences, tokens)


def bucketed_batches(pack, sampler: DatasetSampler, prompts: PromptSampler, batch_size, pool_batches=50):
    """Endless batches: draw pool_batches*batch_size sentences, sort by length, cut, shuffle the batches."""
    rng = sampler.rng
    while True:
        drawn = sampler.draw(batch_size * pool_batches)
        drawn.sort(key=pack.sentence_tokens)
        groups = [drawn[i:i + batch_size] for i in range(0, len(drawn), batch_size)]
        for g in rng.permutation(len(groups)):
            yield build_batch(pack, groups[g], prompts.labels_for)


def worst_case_batch(pack, batch_size, max_labels):
    """The batch_size longest sentences under the max_labels longest prompts: a memory check before the
    timed run (fit_words still caps them at the encoder's 512 positions)."""
    order = np.argsort([pack.sentence_tokens(s) for s in range(len(pack))])[::-1][:batch_size]
    longest_prompts = sorted(range(len(pack.prompts)), key=lambda p: -len(pack.prompt_tokens[p]))[:max_labels]
    return build_batch(pack, [int(s) for s in order], lambda s: (longest_prompts, {}))


def schedule_factor(progress, warmup=0.05):
    """Linear warmup to 1 over the first `warmup` of the budget, then linear decay to 0."""
    if progress < warmup:
        return max(progress / warmup, 0.01)
    return max(0.0, (1.0 - progress) / (1.0 - warmup))
