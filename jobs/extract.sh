#!/usr/bin/env bash
# Extracts entities into Delta tables with io.glinerspark.spark.ExtractJob.
# No arguments: local run on the sample corpus (jobs/sample/docs.jsonl) with the bundled model, output in
# ./gliner-output. Options: --<option> value (see --help) or spark.gliner.<option>=value; defaults file
# conf/gliner-defaults.conf. Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set.
set -euo pipefail
# shellcheck source=jobs/spark-submit.sh
source "$(dirname "${BASH_SOURCE[0]}")/spark-submit.sh"
submit io.glinerspark.spark.ExtractJob "$@"
