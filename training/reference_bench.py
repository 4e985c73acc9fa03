"""Throughput of the reference GLiNER library on a JSONL corpus, run as its users run it: GLiNER.from_pretrained
and its batched `inference` on the CPU, with a fixed number of torch threads. One batch is run first and left out
of the timing (first-call allocations). Prints one JSON line on stdout:
{"docs", "entities", "wall_s", "docs_per_s", "cpu_s", "docs_per_cpu_s", "settings"}, where cpu_s is this process's
CPU time (user + system, all threads) over the timed loop.

usage: python training/reference_bench.py MODEL_DIR TEXTS.jsonl LABELS_FILE [--batch 8] [--threads 2]
       [--threshold 0.5]
       LABELS_FILE holds one label per line.
"""
import argparse
import json
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("texts")
    parser.add_argument("labels")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()

    import torch
    from gliner import GLiNER

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    with open(args.texts, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    with open(args.labels, encoding="utf-8") as f:
        labels = [line.strip() for line in f if line.strip()]
    model = GLiNER.from_pretrained(args.model, map_location="cpu",
                                   local_files_only=os.environ.get("HF_HUB_OFFLINE") == "1")
    model.eval()

    def run(batch_texts):
        with torch.inference_mode():
            return model.inference(batch_texts, labels, threshold=args.threshold, flat_ner=True,
                                   batch_size=args.batch)

    run(texts[:args.batch])
    cpu_started = time.process_time()
    started = time.perf_counter()
    results = run(texts)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(json.dumps({
        "docs": len(texts), "entities": sum(len(r) for r in results), "wall_s": round(wall, 3),
        "docs_per_s": round(len(texts) / wall, 3), "cpu_s": round(cpu, 3), "docs_per_cpu_s": round(len(texts) / cpu, 3),
        "settings": {"batch": args.batch, "threads": args.threads, "labels": len(labels),
                     "threshold": args.threshold, "torch": torch.__version__}}))


if __name__ == "__main__":
    main()
