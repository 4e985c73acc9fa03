#!/usr/bin/env bash
# Extracts entities into Delta tables with io.glinerspark.spark.jobs.ExtractJob.
# No arguments: local run on the sample corpus (jobs/sample/docs.jsonl) with the bundled model, output in
# ./gliner-output. Options: --<option> value (see --help) or spark.gliner.<option>=value; defaults file
# conf/gliner-defaults.conf. Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set (see jobs/lib.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The job finds the sample corpus and conf/gliner-defaults.conf here.
export GLINER_ROOT
# Local runs log warnings only, so the summary stays readable (spark-submit runs use Spark's own logging).
export JAVA_OPTS="${JAVA_OPTS:-} -Dlog4j2.configurationFile=$GLINER_ROOT/conf/log4j2.properties"
gliner_submit io.glinerspark.spark.jobs.ExtractJob "$@"
