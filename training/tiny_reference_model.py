"""Builds a small GLiNER span model with random weights through the reference library, from a backbone made here
without any download, and saves it with GLiNER.save_pretrained: the input a conversion test needs.

  bert     a cased BERT (transformers BertConfig, 2 layers of width 64) with a WordPiece vocabulary trained by the
           tokenizers library on the given texts; weights saved as pytorch_model.bin
  deberta  a DeBERTa-v3-style backbone (DebertaV2Config, relative attention) with a sentencepiece unigram model
           trained on the given texts, read through DebertaV2Tokenizer; weights saved as model.safetensors
  bi       a bi-encoder span model: the text backbone of `bert` plus a separate labels encoder, an uncased BERT of
           width LABELS_HIDDEN with its own smaller WordPiece vocabulary (as real bi-encoders pair a cased text
           backbone with an uncased sentence encoder); the widths differ, so the model has a labels_projection
  xlmr     an XLM-RoBERTa-style backbone (XLMRobertaConfig, the backbone family of multilingual GLiNER models) with a
           sentencepiece unigram model trained on texts spread through the given (multilingual) corpus, read through
           XLMRobertaTokenizer: fairseq ids (<s> 0, <pad> 1, </s> 2, <unk> 3, the pieces shifted by one, <mask>
           last) and RoBERTa positions (two more than the tokens they can place); weights saved as model.safetensors

Random weights give arbitrary entities: the point is that the converted graph computes what the library
computes, not what it finds.

usage: HF_HUB_OFFLINE=1 [SIZE=tiny|full] python training/tiny_reference_model.py bert|deberta|xlmr|bi CORPUS.jsonl
           WORK_DIR
       -> WORK_DIR/backbone (the local encoder folder model_name points at), WORK_DIR/model (the saved GLiNER);
          bi also WORK_DIR/labels_backbone (the local folder labels_encoder points at)

SIZE=full builds the same architectures at the size of public GLiNER models, for speed measurements
(jobs/bench-reference.sh): deberta as DeBERTa-v3-small (6 layers of width 768, 12 heads, 3,072 inner), the
backbone of gliner_small; bi with both encoders as BGE-small (12 layers of width 384, 12 heads, 1,536 inner), the
size of the edge bi-encoders. Their vocabularies stay the ones trained here, and their weights random at the usual
initializer range.
"""
import json
import os
import sys

FULL = os.environ.get("SIZE", "tiny") == "full"
BI_FULL = FULL and len(sys.argv) > 1 and sys.argv[1] == "bi"
HIDDEN = 384 if BI_FULL else 768 if FULL else 64
LAYERS = 12 if BI_FULL else 6 if FULL else 2
HEADS = 12 if FULL else 4
INTERMEDIATE = 4 * HIDDEN if FULL else 128
POSITIONS = 512
# Far wider than a trained backbone's 0.02: at 0.02 a random encoder attends almost uniformly, every <<ENT>> position
# of the prompt ends up with nearly the same state, and labels tie to the seventh digit, which leaves the choice of
# label to rounding instead of to the model. Full-size models are for speed only and keep the usual range.
INIT_RANGE = 0.02 if FULL else 0.5
# The tiny labels encoder's width is not HIDDEN, so that the library adds (and the export must carry)
# labels_projection.
LABELS_HIDDEN = 384 if FULL else 48
TRAINING_TEXTS = 20000


def texts(corpus, every=1):
    """The first TRAINING_TEXTS texts, or with every=N each N-th line (a corpus sorted by language)."""
    with open(corpus, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= TRAINING_TEXTS * every:
                break
            if i % every == 0:
                yield json.loads(line)["text"]


def bert_backbone(corpus, folder, lowercase=False, vocab_size=8000, hidden=HIDDEN):
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertTokenizerFast

    wordpiece = BertWordPieceTokenizer(lowercase=lowercase, strip_accents=False)
    wordpiece.train_from_iterator(texts(corpus), vocab_size=vocab_size, min_frequency=2,
                                  special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    os.makedirs(folder, exist_ok=True)
    wordpiece.save_model(folder)
    tokenizer = BertTokenizerFast(vocab_file=os.path.join(folder, "vocab.txt"), do_lower_case=lowercase,
                                  strip_accents=False, model_max_length=POSITIONS)
    tokenizer.save_pretrained(folder)
    BertConfig(vocab_size=wordpiece.get_vocab_size(), hidden_size=hidden, num_hidden_layers=LAYERS,
               num_attention_heads=HEADS, intermediate_size=4 * hidden if FULL else 2 * hidden,
               max_position_embeddings=POSITIONS, initializer_range=INIT_RANGE).save_pretrained(folder)


def deberta_backbone(corpus, folder):
    import sentencepiece as spm
    from transformers import DebertaV2Config, DebertaV2Tokenizer

    os.makedirs(folder, exist_ok=True)
    # DeBERTa-v3's own layout: [PAD] 0, [CLS] 1, [SEP] 2, [UNK] 3; [MASK] is added by the tokenizer class.
    spm.SentencePieceTrainer.train(
        sentence_iterator=texts(corpus), model_prefix=os.path.join(folder, "spm"), vocab_size=4000,
        model_type="unigram", pad_id=0, pad_piece="[PAD]", bos_id=1, bos_piece="[CLS]", eos_id=2, eos_piece="[SEP]",
        unk_id=3, unk_piece="[UNK]", character_coverage=1.0, minloglevel=2)
    tokenizer = DebertaV2Tokenizer(vocab_file=os.path.join(folder, "spm.model"), do_lower_case=False,
                                   model_max_length=POSITIONS)
    tokenizer.save_pretrained(folder)
    DebertaV2Config(vocab_size=len(tokenizer), hidden_size=HIDDEN, num_hidden_layers=LAYERS,
                    num_attention_heads=HEADS, intermediate_size=INTERMEDIATE, max_position_embeddings=POSITIONS,
                    relative_attention=True, position_buckets=256, norm_rel_ebd="layer_norm", share_att_key=True,
                    pos_att_type=["p2c", "c2p"], position_biased_input=False, max_relative_positions=-1,
                    type_vocab_size=0, layer_norm_eps=1e-7, pad_token_id=0,
                    initializer_range=INIT_RANGE).save_pretrained(folder)


def xlmr_backbone(corpus, folder):
    import sentencepiece as spm
    from transformers import XLMRobertaConfig, XLMRobertaTokenizer

    os.makedirs(folder, exist_ok=True)
    # XLM-R's sentencepiece model keeps sentencepiece's default ids (<unk> 0, <s> 1, </s> 2, no pad); the tokenizer
    # class puts the fairseq ids in front of it and shifts every piece by one. A corpus sorted by language is
    # sampled through its whole length, so that every language gets pieces.
    spm.SentencePieceTrainer.train(
        sentence_iterator=texts(corpus, every=4), model_prefix=os.path.join(folder, "spm"), vocab_size=6000,
        model_type="unigram", character_coverage=1.0, minloglevel=2)
    tokenizer = XLMRobertaTokenizer(vocab_file=os.path.join(folder, "spm.model"), model_max_length=POSITIONS)
    tokenizer.save_pretrained(folder)
    # RoBERTa numbers positions from pad_token_id + 1: 514 position embeddings place 512 tokens, as in XLM-R.
    XLMRobertaConfig(vocab_size=len(tokenizer), hidden_size=HIDDEN, num_hidden_layers=LAYERS,
                     num_attention_heads=HEADS, intermediate_size=INTERMEDIATE, max_position_embeddings=POSITIONS + 2,
                     type_vocab_size=1, pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                     eos_token_id=tokenizer.eos_token_id, layer_norm_eps=1e-5,
                     initializer_range=INIT_RANGE).save_pretrained(folder)


def main():
    kind, corpus, work = sys.argv[1], sys.argv[2], sys.argv[3]
    import torch
    from gliner import GLiNER

    backbone = os.path.abspath(os.path.join(work, "backbone"))
    backbones = {"bert": bert_backbone, "deberta": deberta_backbone, "xlmr": xlmr_backbone, "bi": bert_backbone}
    backbones[kind](corpus, backbone)
    config = {"model_name": backbone, "span_mode": "markerV0", "max_width": 12, "hidden_size": HIDDEN,
              "max_len": 384, "words_splitter_type": "whitespace"}
    if kind == "bi":
        labels_backbone = os.path.abspath(os.path.join(work, "labels_backbone"))
        bert_backbone(corpus, labels_backbone, lowercase=True, vocab_size=3000, hidden=LABELS_HIDDEN)
        config["labels_encoder"] = labels_backbone
    torch.manual_seed(17)
    model = GLiNER.from_config(config, backbone_from_pretrained=False, local_files_only=True)
    model.eval()
    model.save_pretrained(os.path.join(work, "model"), safe_serialization=kind != "bert")
    print(f"{work}/model: {type(model).__name__} on a {kind} backbone, "
          f"{sum(p.numel() for p in model.model.parameters()):,} parameters")


if __name__ == "__main__":
    main()
