#!/usr/bin/env bash
# Scores a GLiNER model on NER datasets exactly as the reference evaluation does (every labels.json type is a
# prompt, threshold 0.5, micro P/R/F1 over exact spans, average = mean of dataset F1). A table goes to stderr, one
# JSON line to stdout. Options: jobs/evaluate.sh --help
#
#   jobs/evaluate.sh --data ../shared/data/ner/conll2003-gliner-json --model path/to/bundle
#   jobs/evaluate.sh --data ../shared/data/ner/wnut17/emerging.test.annotated \
#       --labelsMap 'person=person,location=location,corporation=corporation,group=group,product=product,creative-work=creative work'
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
gliner_submit io.glinerspark.spark.eval.EvaluateJob "$@"
