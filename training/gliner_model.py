"""GLiNER span model (markerV0 span head) on a BERT encoder, written for torch 1.13 and 2.x alike.

The forward pass takes exactly the inference tensors of the ONNX contract (input_ids, attention_mask,
words_mask, text_lengths, span_idx, span_mask) and returns logits [B, W, K, C], so the training graph and the
exported graph are the same code. Every dynamic-index step is written with gathers and comparisons instead of
boolean indexing or scatter so that the legacy ONNX exporter of torch 1.13 traces it with dynamic B, S, W, C.
"""
import glob
import math
import os

import numpy as np
import torch
from torch import nn

BERT_VOCAB = 30522
FLERT_ID, ENT_ID, SEP_ID = 30522, 30523, 30524
GLINER_VOCAB = BERT_VOCAB + 3


class BertConfig:
    """Shape of the all-MiniLM-L6-v2 encoder (uncased BERT, 6 layers, 384 hidden, 12 heads)."""

    def __init__(self, vocab_size=GLINER_VOCAB, hidden=384, layers=6, heads=12, intermediate=1536,
                 max_positions=512, type_vocab=2, layer_norm_eps=1e-12):
        self.vocab_size = vocab_size
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.intermediate = intermediate
        self.max_positions = max_positions
        self.type_vocab = type_vocab
        self.layer_norm_eps = layer_norm_eps


class BertEmbeddings(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden)
        self.position_embeddings = nn.Embedding(cfg.max_positions, cfg.hidden)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab, cfg.hidden)
        self.LayerNorm = nn.LayerNorm(cfg.hidden, eps=cfg.layer_norm_eps)

    def forward(self, input_ids):
        positions = torch.arange(input_ids.size(1), device=input_ids.device).unsqueeze(0)
        # token_type_ids are always 0 for a single-sequence prompt: add row 0 instead of taking an input
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class BertSelfAttention(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.heads = cfg.heads
        self.head_dim = cfg.hidden // cfg.heads
        self.query = nn.Linear(cfg.hidden, cfg.hidden)
        self.key = nn.Linear(cfg.hidden, cfg.hidden)
        self.value = nn.Linear(cfg.hidden, cfg.hidden)

    def split_heads(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, additive_mask):
        q, k, v = self.split_heads(self.query(x)), self.split_heads(self.key(x)), self.split_heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + additive_mask
        context = torch.matmul(scores.softmax(-1), v)
        b, _, s, _ = context.shape
        return context.transpose(1, 2).reshape(b, s, self.heads * self.head_dim)


class BertSelfOutput(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.dense = nn.Linear(cfg.hidden, cfg.hidden)
        self.LayerNorm = nn.LayerNorm(cfg.hidden, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h, x):
        return self.LayerNorm(self.dropout(self.dense(h)) + x)


class BertAttention(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.self = BertSelfAttention(cfg)
        self.output = BertSelfOutput(cfg)

    def forward(self, x, additive_mask):
        return self.output(self.self(x, additive_mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.dense = nn.Linear(cfg.hidden, cfg.intermediate)

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class BertOutput(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.dense = nn.Linear(cfg.intermediate, cfg.hidden)
        self.LayerNorm = nn.LayerNorm(cfg.hidden, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h, x):
        return self.LayerNorm(self.dropout(self.dense(h)) + x)


class BertLayer(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.attention = BertAttention(cfg)
        self.intermediate = BertIntermediate(cfg)
        self.output = BertOutput(cfg)

    def forward(self, x, additive_mask):
        a = self.attention(x, additive_mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(cfg) for _ in range(cfg.layers)])


class Bert(nn.Module):
    """BERT whose parameter names match the HF checkpoint names used in the encoder .npz."""

    def __init__(self, cfg: BertConfig):
        super().__init__()
        self.embeddings = BertEmbeddings(cfg)
        self.encoder = BertEncoder(cfg)

    def forward(self, input_ids, attention_mask):
        x = self.embeddings(input_ids)
        keep = attention_mask[:, None, None, :].to(x.dtype)
        additive_mask = (1.0 - keep) * torch.finfo(x.dtype).min
        for layer in self.encoder.layer:
            x = layer(x, additive_mask)
        return x


def projection(in_dim, out_dim, dropout):
    """The reference's two-layer FFN: in -> 4*out -> out."""
    return nn.Sequential(nn.Linear(in_dim, out_dim * 4), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(out_dim * 4, out_dim))


class PaddingSafeBiLstm(nn.Module):
    """Bidirectional LSTM over word vectors of texts with different lengths.

    The backward direction runs a forward LSTM over each text reversed within its OWN length (padding stays
    at the end), so padded slots are only ever read after every valid slot; no pack_padded_sequence, which
    the ONNX exporter cannot express with dynamic lengths.
    """

    def __init__(self, hidden):
        super().__init__()
        self.forward_lstm = nn.LSTM(hidden, hidden // 2, batch_first=True)
        self.backward_lstm = nn.LSTM(hidden, hidden // 2, batch_first=True)

    def forward(self, words, text_lengths):
        b, w, d = words.shape
        positions = torch.arange(w, device=words.device).unsqueeze(0).expand(b, w)
        lengths = text_lengths.view(b, 1)
        valid = positions < lengths
        reverse_index = torch.where(valid, lengths - 1 - positions, positions)
        gather_index = reverse_index.unsqueeze(-1).expand(b, w, d)
        forward_out, _ = self.forward_lstm(words)
        backward_reversed, _ = self.backward_lstm(torch.gather(words, 1, gather_index))
        backward_out = torch.gather(backward_reversed, 1, reverse_index.unsqueeze(-1).expand_as(backward_reversed))
        return torch.cat([forward_out, backward_out], dim=-1) * valid.unsqueeze(-1).to(words.dtype)


def gather_slots(hidden, slot_of_token, slots):
    """Vectors of the tokens marked 1..slots in slot_of_token [B, S] -> [B, slots, D]; unmarked slots are 0."""
    wanted = torch.arange(1, slots + 1, device=hidden.device).view(1, -1, 1)
    hit = (slot_of_token.unsqueeze(1) == wanted)  # [B, slots, S]
    present = hit.any(-1)
    position = hit.to(hidden.dtype).argmax(-1)  # the only hit, or 0 when there is none
    picked = torch.gather(hidden, 1, position.unsqueeze(-1).expand(-1, -1, hidden.size(-1)))
    return picked * present.unsqueeze(-1).to(hidden.dtype), present


class GlinerSpanModel(nn.Module):
    """GLiNER (arXiv:2311.08526) span model, markerV0 span representation, labels read at <<ENT>> tokens."""

    def __init__(self, cfg: BertConfig = None, max_width=12, dropout=0.4, ent_id=ENT_ID):
        super().__init__()
        cfg = cfg or BertConfig()
        hidden = cfg.hidden
        self.max_width = max_width
        self.ent_id = ent_id
        self.bert = Bert(cfg)
        self.prompt_projection = projection(hidden, hidden, dropout)
        self.rnn = PaddingSafeBiLstm(hidden)
        self.project_start = projection(hidden, hidden, dropout)
        self.project_end = projection(hidden, hidden, dropout)
        self.out_project = projection(2 * hidden, hidden, dropout)
        self.dropout = nn.Dropout(dropout)

    def forward(self, input_ids, attention_mask, words_mask, text_lengths, span_idx, span_mask):
        logits, _ = self.forward_with_label_mask(input_ids, attention_mask, words_mask, text_lengths, span_idx,
                                                 span_mask)
        return logits

    def forward_with_label_mask(self, input_ids, attention_mask, words_mask, text_lengths, span_idx, span_mask):
        """Returns (logits [B, W, K, C], label_mask [B, C]); label_mask is False for a row's padded label slots."""
        tokens = self.bert(input_ids, attention_mask)
        b = input_ids.size(0)
        k = self.max_width
        w = span_idx.size(1) // k

        is_ent = input_ids == self.ent_id
        ent_rank = torch.cumsum(is_ent.to(torch.int64), dim=1) * is_ent.to(torch.int64)
        labels_count = is_ent.to(torch.int64).sum(1).max()
        labels, label_mask = gather_slots(tokens, ent_rank, labels_count)
        labels = self.prompt_projection(labels)

        words, _ = gather_slots(tokens, words_mask, w)
        words = self.rnn(self.dropout(words), text_lengths)

        start = self.project_start(words)
        end = self.project_end(words)
        spans = span_idx * span_mask.unsqueeze(-1).to(span_idx.dtype)
        d = words.size(-1)
        start_rep = torch.gather(start, 1, spans[:, :, 0:1].expand(-1, -1, d))
        end_rep = torch.gather(end, 1, spans[:, :, 1:2].expand(-1, -1, d))
        span_rep = self.out_project(torch.cat([start_rep, end_rep], dim=-1).relu())
        span_rep = span_rep.view(b, w, k, d)
        logits = torch.einsum("bwkd,bcd->bwkc", span_rep, labels)
        return logits, label_mask


def encoder_state_dict_from_npz(arrays, noise_seed=0):
    """Maps the extracted encoder arrays onto GlinerSpanModel.bert, adding the three GLiNER token rows.

    The new rows start at the mean word embedding plus small noise (different per row), so <<ENT>> and
    <<SEP>> begin as generic tokens the attention can tell apart.
    """
    state = {k: torch.from_numpy(v.astype("float32")) for k, v in arrays.items()}
    words = state["embeddings.word_embeddings.weight"]
    generator = torch.Generator().manual_seed(noise_seed)
    extra = words.mean(0, keepdim=True) + 0.02 * torch.randn(3, words.size(1), generator=generator)
    state["embeddings.word_embeddings.weight"] = torch.cat([words, extra], dim=0)
    state.pop("embeddings.position_ids", None)
    return state


WEIGHT_FILE_PATTERN = "weights-{:02d}.npz"
PART_SEPARATOR = "#part"


def save_split_fp16(state_dict, folder, max_file_bytes=14_000_000):
    """Writes the state dict as fp16 .npz files of at most max_file_bytes each (a tensor larger than that is
    cut into row blocks named NAME#partI), so the weights pass a transfer limit on file size."""
    os.makedirs(folder, exist_ok=True)
    pieces = []
    for name, tensor in state_dict.items():
        array = tensor.detach().float().cpu().numpy().astype(np.float16)
        if array.nbytes <= max_file_bytes:
            pieces.append((name, array))
            continue
        rows_per_part = max(1, max_file_bytes // (array.nbytes // array.shape[0]))
        for i, start in enumerate(range(0, array.shape[0], rows_per_part)):
            pieces.append((f"{name}{PART_SEPARATOR}{i:03d}", array[start:start + rows_per_part]))
    files, current, size = [], {}, 0
    for name, array in pieces:
        if current and size + array.nbytes > max_file_bytes:
            files.append(current)
            current, size = {}, 0
        current[name] = array
        size += array.nbytes
    if current:
        files.append(current)
    paths = []
    for i, arrays in enumerate(files):
        path = os.path.join(folder, WEIGHT_FILE_PATTERN.format(i))
        np.savez(path, **arrays)
        paths.append(path)
    return paths


def load_split_fp16(folder):
    """State dict (float32 tensors) from the files written by save_split_fp16."""
    parts = {}
    for path in sorted(glob.glob(os.path.join(folder, "weights-*.npz"))):
        with np.load(path) as arrays:
            for key in arrays.files:
                parts[key] = arrays[key]
    if not parts:
        raise FileNotFoundError(f"no weights-*.npz in {folder}")
    state = {}
    for key in sorted(parts):
        name = key.split(PART_SEPARATOR)[0]
        state.setdefault(name, []).append(parts[key])
    return {name: torch.from_numpy(np.concatenate(blocks, axis=0).astype(np.float32)) for name, blocks in state.items()}
