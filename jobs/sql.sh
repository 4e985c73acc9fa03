#!/usr/bin/env bash
# Runs SQL statements locally with Delta and gliner_extract, printing results as tables:
#   jobs/sql.sh -e "SELECT gliner_extract('Ada Lovelace lived in London.', array('person', 'city'))"
#   jobs/sql.sh --conf spark.gliner.model=/models/gliner -f queries.sql
set -euo pipefail
# shellcheck source=jobs/spark-submit.sh
source "$(dirname "${BASH_SOURCE[0]}")/spark-submit.sh"
submit io.glinerspark.spark.SqlRunner "$@"
