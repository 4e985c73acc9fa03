#!/usr/bin/env bash
# Runs SQL statements locally with Delta and gliner_extract, printing results as tables:
#   jobs/sql.sh -e "SELECT gliner_extract('Ada Lovelace lived in London.', array('person', 'city'))"
#   jobs/sql.sh --conf spark.gliner.model=/models/gliner -f queries.sql
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export JAVA_OPTS="${JAVA_OPTS:-} -Dlog4j2.configurationFile=$GLINER_ROOT/conf/log4j2.properties"
gliner_submit io.glinerspark.spark.jobs.SqlRunner "$@"
