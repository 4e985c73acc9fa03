#!/usr/bin/env bash
# Prints one JSON line: documents/s of the engine alone, the DataFrame path and the SQL path on the same model
# and documents (io.glinerspark.spark.jobs.SparkBenchmark).
#   jobs/bench-spark.sh [--corpus file.jsonl] [--limit 500] [--labels a,b] [--model path] [--rowsPerBlock N] ...
# Default corpus: ../shared/data/corpus/en_docs.jsonl next to the project folder, its first 500 documents; the
# options are the settings the Spark benchmark reads (see the settings table in docs/settings.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export JAVA_OPTS="${JAVA_OPTS:-} -Dlog4j2.configurationFile=$GLINER_ROOT/conf/log4j2.properties"
gliner_submit io.glinerspark.spark.jobs.SparkBenchmark --corpus "$GLINER_ROOT/../shared/data/corpus/en_docs.jsonl" \
  --limit 500 "$@"
