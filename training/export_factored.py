"""Re-exports a bundle's trained weights with the span head factored, an exact rewrite that does far less work.

markerV0 scores span (i, j) against label c as
    logit = out2(relu(out1(concat(relu(start_i), relu(end_j))))) . label_c
with out1: 2D -> 4D and out2: 4D -> D run once per SPAN (W x 12 of them), which costs more than the encoder
on short texts. Both linear maps distribute:
  * out1(concat(a, b)) = a @ W1a + b @ W1b + b1, so the two halves are computed once per WORD and each span only
    adds two gathered rows;
  * out2(h) . l = h . (W2^T l) + b2 . l, so each label is mapped once into the 4D space and each span needs one
    4D dot product per label instead of a 4D x D matrix product.
The logits are the same function of the same weights (float rounding aside); the graph keeps the inference
signature of the original export.

usage: python training/export_factored.py BUNDLE_DIR OUT_BUNDLE_DIR   (a Python with torch and onnx: the
       reference venv of training/reference_parity.sh has both)
"""
import argparse
import os
import shutil
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import export_fp32  # noqa: E402
from gliner_model import GlinerSpanModel, gather_slots  # noqa: E402
from onnx_storage import trained_weights  # noqa: E402


class FactoredSpanModel(GlinerSpanModel):
    """GlinerSpanModel's function with the factored span head (see the module docstring); parameter names stay
    those of GlinerSpanModel, so the storage shrinking finds them."""

    def factor(self):
        """Derives the factored head's matrices from out_project; call after loading the weights."""
        hidden = self.project_start[-1].out_features
        first, second = self.out_project[0], self.out_project[3]
        self.register_buffer("first_start", first.weight[:, :hidden].t().contiguous().detach())  # [D, 4D]
        self.register_buffer("first_end", first.weight[:, hidden:].t().contiguous().detach())
        self.register_buffer("first_bias", first.bias.detach().clone())
        self.register_buffer("second_weight", second.weight.detach().clone())  # [D, 4D]
        self.register_buffer("second_bias", second.bias.detach().clone())
        return self

    def forward(self, input_ids, attention_mask, words_mask, text_lengths, span_idx, span_mask):
        m = self
        tokens = m.bert(input_ids, attention_mask)
        b = input_ids.size(0)
        k = m.max_width
        w = span_idx.size(1) // k

        is_ent = input_ids == m.ent_id
        ent_rank = torch.cumsum(is_ent.to(torch.int64), dim=1) * is_ent.to(torch.int64)
        labels_count = is_ent.to(torch.int64).sum(1).max()
        labels, _ = gather_slots(tokens, ent_rank, labels_count)
        labels = m.prompt_projection(labels)  # [B, C, D]

        words, _ = gather_slots(tokens, words_mask, w)
        words = m.rnn(words, text_lengths)
        start_half = m.project_start(words).relu() @ self.first_start + self.first_bias  # [B, W, 4D]
        end_half = m.project_end(words).relu() @ self.first_end
        spans = span_idx * span_mask.unsqueeze(-1).to(span_idx.dtype)
        width4 = start_half.size(-1)
        hidden = (torch.gather(start_half, 1, spans[:, :, 0:1].expand(-1, -1, width4))
                  + torch.gather(end_half, 1, spans[:, :, 1:2].expand(-1, -1, width4))).relu()  # [B, W*K, 4D]
        label_rows = labels @ self.second_weight  # [B, C, 4D]
        label_bias = (labels * self.second_bias).sum(-1)  # [B, C]; a vector MatMul would not quantize
        logits = torch.einsum("bsh,bch->bsc", hidden, label_rows) + label_bias.unsqueeze(1)
        return logits.view(b, w, k, -1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle_dir")
    parser.add_argument("out_dir")
    args = parser.parse_args()
    model = FactoredSpanModel().eval()
    weights = trained_weights(onnx.load(os.path.join(args.bundle_dir, "model.onnx")))
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in weights.items()}, strict=True)
    os.makedirs(args.out_dir, exist_ok=True)
    with torch.no_grad():
        export_fp32(model.factor(), os.path.join(args.out_dir, "model.onnx"))
    onnx.checker.check_model(onnx.load(os.path.join(args.out_dir, "model.onnx")))
    for file in ("tokenizer.json", "gliner_config.json"):
        shutil.copy(os.path.join(args.bundle_dir, file), os.path.join(args.out_dir, file))
    print(f"{args.out_dir}/model.onnx: factored span head, float32")


if __name__ == "__main__":
    main()
