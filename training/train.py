"""Trains the GLiNER span model on a pack (pack_data.py) for a fixed wall-clock budget.

Time-budgeted: the learning rate warms up and decays linearly over --minutes of training time, so a run of
any length ends fully decayed. Resumable: a checkpoint in --work is picked up (its elapsed time and step
count included) unless --fresh. Runs on CUDA when available (TF32 matmuls), else on CPU; the same code runs
under torch 1.13 and 2.x.

At the end the weights are written as fp16 files under 15 MB each (weights-NN.npz) plus train_stats.json
into --out; export_onnx.py turns them into a model bundle.

usage: python3 training/train.py --pack training/work/train_pack.npz --encoder training/work/encoder.npz
       --out OUT_DIR [--minutes 7] [--batch-size 64] [--max-steps N] [--fresh]
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gliner_model import GlinerSpanModel, encoder_state_dict_from_npz, load_split_fp16, save_split_fp16  # noqa: E402
from train_data import (  # noqa: E402
    DatasetSampler,
    PromptSampler,
    TrainingPack,
    bucketed_batches,
    schedule_factor,
    worst_case_batch,
)

CHECKPOINT = "checkpoint.pt"


class BatchStream(torch.utils.data.IterableDataset):
    """Endless training batches; each DataLoader worker draws with its own seed."""

    def __init__(self, pack, args, seed):
        self.pack = pack
        self.args = args
        self.seed = seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = np.random.default_rng([self.seed, info.id if info else 0])
        sampler = DatasetSampler(self.pack, rng, temperature=self.args.temperature, weights=self.args.dataset_weight)
        prompts = PromptSampler(self.pack, rng, max_labels=self.args.max_labels)
        for batch in bucketed_batches(self.pack, sampler, prompts, self.args.batch_size):
            yield {"inputs": batch.inputs, "targets": batch.targets, "tokens": batch.tokens,
                   "datasets": self.pack.sentence_dataset[batch.sentences]}


def parse_weights(items):
    weights = {}
    for item in items or []:
        name, value = item.split("=")
        weights[name] = float(value)
    return weights


def make_optimizer(model, args):
    groups = {"encoder_decay": [], "encoder_no_decay": [], "heads_decay": [], "heads_no_decay": []}
    for name, p in model.named_parameters():
        part = "encoder" if name.startswith("bert.") else "heads"
        # embeddings are not decayed: rows a batch never touches then stay exactly as pretrained
        decay = p.dim() >= 2 and "embeddings" not in name
        groups[f"{part}_{'decay' if decay else 'no_decay'}"].append(p)
    lr = {"encoder": args.lr_encoder, "heads": args.lr_heads}
    param_groups = [{"params": ps, "base_lr": lr[key.split("_")[0]], "lr": lr[key.split("_")[0]],
                     "weight_decay": args.weight_decay if key.endswith("_decay") and "no_decay" not in key else 0.0}
                    for key, ps in groups.items() if ps]
    return torch.optim.AdamW(param_groups)


def batch_loss(model, batch, device, autocast=None):
    inputs = {k: v.to(device, non_blocking=True) for k, v in batch["inputs"].items()}
    targets = batch["targets"].to(device, non_blocking=True)
    if autocast:
        with torch.autocast(device_type=device.type, dtype=autocast):
            logits, label_mask = model.forward_with_label_mask(**inputs)
        # the loss in float32: bf16 logits would round away the small probabilities the BCE sums over
        logits = logits.float()
    else:
        logits, label_mask = model.forward_with_label_mask(**inputs)
    b, w, k, c = logits.shape
    valid = inputs["span_mask"].view(b, w, k, 1) & label_mask.view(b, 1, 1, c)
    losses = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    # summed over valid (span, label) pairs per sentence as in the reference, averaged over the batch
    return (losses * valid.to(losses.dtype)).sum() / b, logits.shape


def initial_weights(path):
    """State dict of a trained model: an exported ONNX graph (its trained parameters, as the graph computes with
    them) or a folder of weights-NN.npz."""
    if path.endswith(".onnx"):
        import onnx

        from onnx_storage import trained_weights
        return {name: torch.from_numpy(np.array(value, dtype=np.float32, order="C", copy=True))
                for name, value in trained_weights(onnx.load(path)).items()}
    return load_split_fp16(path)


def to_tensors(batch):
    """The DataLoader converts numpy arrays itself; the worst-case batch is built by hand."""
    return {"inputs": {k: torch.from_numpy(v) for k, v in batch.inputs.items()},
            "targets": torch.from_numpy(batch.targets)}


def describe(batch):
    return ", ".join(f"{k} {tuple(v.shape)} {str(v.dtype).replace('torch.', '')}" for k, v in batch["inputs"].items())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pack", default="training/work/train_pack.npz")
    parser.add_argument("--encoder", default="training/work/encoder.npz")
    parser.add_argument("--work", default="training/work", help="checkpoint folder")
    parser.add_argument("--out", required=True, help="folder for weights-NN.npz and train_stats.json")
    parser.add_argument("--minutes", type=float, default=7.0, help="training wall-clock budget")
    parser.add_argument("--max-steps", type=int, default=0, help="stop earlier after this many steps (smoke runs)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr-encoder", type=float, default=5e-5)
    parser.add_argument("--lr-heads", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--max-labels", type=int, default=25)
    parser.add_argument("--temperature", type=float, default=0.5, help="dataset sampling ~ size**temperature")
    parser.add_argument("--dataset-weight", nargs="*", default=["conll2003=2.0"],
                        help="NAME=FACTOR multipliers on a dataset's sampling weight")
    parser.add_argument("--workers", type=int, default=-1, help="batch-building processes (-1: 6 on CUDA, 0 on CPU)")
    parser.add_argument("--threads", type=int, default=0, help="CPU torch threads (0: torch default)")
    parser.add_argument("--checkpoint-minutes", type=float, default=2.0, help="0: no checkpoints at all")
    parser.add_argument("--log-seconds", type=float, default=15.0)
    parser.add_argument("--preflight-steps", type=int, default=5)
    parser.add_argument("--skip-worst-case", action="store_true",
                        help="skip the preflight worst-case batch (a memory check that takes minutes on a CPU)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fresh", action="store_true", help="ignore an existing checkpoint")
    parser.add_argument("--init-weights", help="start from a trained model instead of the pretrained encoder "
                                               "(fine-tuning): the folder of an earlier run's weights-NN.npz, or an "
                                               "exported model.onnx (e.g. models/default-weights.onnx)")
    parser.add_argument("--autocast", choices=["none", "bf16"], default="none",
                        help="bf16: forward pass under torch.autocast in bfloat16 (CPUs with AVX-512 BF16 or AMX; "
                             "weights, gradients and optimizer stay float32)")
    args = parser.parse_args()
    args.dataset_weight = parse_weights(args.dataset_weight)

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    if args.threads:
        torch.set_num_threads(args.threads)
    workers = args.workers if args.workers >= 0 else (6 if device.type == "cuda" else 0)
    torch.manual_seed(args.seed)
    print(f"torch {torch.__version__} python {platform.python_version()} device {device}"
          + (f" ({torch.cuda.get_device_name(0)})" if device.type == "cuda" else f" threads {torch.get_num_threads()}"),
          flush=True)

    pack = TrainingPack(args.pack)
    print(f"pack: {len(pack)} sentences, {len(pack.datasets)} datasets, {len(pack.types)} types, "
          f"{len(pack.prompts)} prompt texts", flush=True)

    model = GlinerSpanModel()
    checkpoint_path = os.path.join(args.work, CHECKPOINT)
    checkpoint = None
    if os.path.exists(checkpoint_path) and not args.fresh:
        checkpoint = torch.load(checkpoint_path, map_location="cpu")
        model.load_state_dict(checkpoint["model"])
        print(f"resumed {checkpoint_path}: step {checkpoint['step']}, {checkpoint['elapsed']:.0f} s trained",
              flush=True)
    elif args.init_weights:
        model.load_state_dict(initial_weights(args.init_weights), strict=True)
        print(f"weights loaded from {args.init_weights}", flush=True)
    else:
        missing = model.bert.load_state_dict(encoder_state_dict_from_npz(dict(np.load(args.encoder))), strict=True)
        print(f"encoder loaded from {args.encoder} ({missing})", flush=True)
    model.to(device).train()
    optimizer = make_optimizer(model, args)
    step, elapsed, sentences_done, resumes = 0, 0.0, 0, 0
    loss_curve = []
    if checkpoint:
        optimizer.load_state_dict(checkpoint["optimizer"])
        step, elapsed, sentences_done = checkpoint["step"], checkpoint["elapsed"], checkpoint["sentences"]
        loss_curve, resumes = checkpoint["loss_curve"], checkpoint["resumes"] + 1
    budget = args.minutes * 60.0
    autocast = torch.bfloat16 if args.autocast == "bf16" else None

    if not args.skip_worst_case:
        # preflight: the worst batch this data can produce must fit in memory before the clock starts
        worst = to_tensors(worst_case_batch(pack, args.batch_size, args.max_labels))
        t0 = time.time()
        loss, shape = batch_loss(model, worst, device, autocast)
        loss.backward()
        optimizer.zero_grad(set_to_none=True)
        if device.type == "cuda":
            torch.cuda.synchronize()
            print(f"preflight worst-case batch: {describe(worst)} -> logits {tuple(shape)}, {time.time() - t0:.2f} s, "
                  f"peak GPU memory {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB", flush=True)
        else:
            print(f"preflight worst-case batch: {describe(worst)} -> logits {tuple(shape)}, {time.time() - t0:.2f} s",
                  flush=True)
        del worst, loss

    stream = BatchStream(pack, args, seed=args.seed * 1000 + resumes)
    loader = torch.utils.data.DataLoader(stream, batch_size=None, num_workers=workers,
                                         pin_memory=device.type == "cuda",
                                         **({"prefetch_factor": 8, "persistent_workers": False} if workers else {}))
    dataset_counts = np.zeros(len(pack.datasets), dtype=np.int64)
    # the loss is summed on the device and read only when logging: a per-step read would make the CPU wait
    # for the GPU every step, and this small model is launch-bound
    window = {"loss": torch.zeros((), device=device), "steps": 0, "sentences": 0, "tokens": 0, "start": time.time()}
    last_checkpoint = time.time()
    last_log = time.time()
    run_start = time.time()
    # CPU time of the process (all threads): on a shared machine the wall clock measures the other jobs too
    cpu_start = time.process_time()
    elapsed_at_start = elapsed
    sentences_at_start = sentences_done
    stop_reason = "budget"
    for batch in loader:
        progress = elapsed / budget
        if progress >= 1.0:
            break
        if args.max_steps and step >= args.max_steps:
            stop_reason = "max-steps"
            break
        factor = schedule_factor(progress)
        for group in optimizer.param_groups:
            group["lr"] = group["base_lr"] * factor
        loss, shape = batch_loss(model, batch, device, autocast)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        rows = int(batch["targets"].shape[0])
        sentences_done += rows
        dataset_counts += np.bincount(batch["datasets"].numpy(), minlength=len(pack.datasets))
        window["loss"] += loss.detach()
        window["steps"] += 1
        window["sentences"] += rows
        window["tokens"] += int(batch["tokens"])
        now = time.time()
        elapsed = elapsed_at_start + (now - run_start)
        if step <= args.preflight_steps:
            print(f"preflight step {step}: {describe(batch)} -> logits {tuple(shape)}, "
                  f"loss {float(loss.detach()):.3f}, {now - last_log:.3f} s", flush=True)
            last_log = now
        if now - window["start"] >= args.log_seconds:
            span = now - window["start"]
            mean_loss = float(window["loss"]) / window["steps"]
            loss_curve.append([round(elapsed, 1), step, round(mean_loss, 4)])
            print(f"step {step} {elapsed:.0f}/{budget:.0f} s loss {mean_loss:.3f} lr x{factor:.3f} "
                  f"{window['steps'] / span:.2f} steps/s {window['sentences'] / span:.0f} sent/s "
                  f"{window['tokens'] / span:.0f} tok/s", flush=True)
            window = {"loss": torch.zeros((), device=device), "steps": 0, "sentences": 0, "tokens": 0, "start": now}
        if args.checkpoint_minutes and now - last_checkpoint >= args.checkpoint_minutes * 60:
            save_checkpoint(checkpoint_path, model, optimizer, step, elapsed, sentences_done, loss_curve, resumes)
            last_checkpoint = time.time()
    if args.checkpoint_minutes:
        save_checkpoint(checkpoint_path, model, optimizer, step, elapsed, sentences_done, loss_curve, resumes)
    cpu_seconds = time.process_time() - cpu_start
    model.eval()
    paths = save_split_fp16(model.state_dict(), args.out)
    stats = {"steps": step, "sentences": sentences_done, "train_seconds": round(elapsed, 1), "stopped_by": stop_reason,
             "sentences_per_second": round(sentences_done / max(elapsed, 1e-9), 1),
             "cpu_seconds_this_run": round(cpu_seconds, 1),
             "sentences_per_cpu_second_this_run":
                 round((sentences_done - sentences_at_start) / max(cpu_seconds, 1e-9), 2),
             "loss_curve": loss_curve,
             "device": str(device) + (f" {torch.cuda.get_device_name(0)}" if device.type == "cuda" else ""),
             "torch": torch.__version__, "resumes": resumes,
             "datasets_sampled_this_run": {n: int(c) for n, c in zip(pack.datasets, dataset_counts)},
             "args": {k: v for k, v in vars(args).items()}}
    with open(os.path.join(args.out, "train_stats.json"), "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)
    print(f"done: {step} steps, {sentences_done} sentences in {elapsed:.0f} s; wrote "
          + ", ".join(f"{os.path.basename(p)} {os.path.getsize(p) / 1e6:.1f} MB" for p in paths), flush=True)


def save_checkpoint(path, model, optimizer, step, elapsed, sentences, loss_curve, resumes):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = path + ".tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step, "elapsed": elapsed,
                "sentences": sentences, "loss_curve": loss_curve, "resumes": resumes}, temporary)
    os.replace(temporary, path)


if __name__ == "__main__":
    main()
