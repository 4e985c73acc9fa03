#!/usr/bin/env bash
# Command-line GLiNER: entities from JSONL on stdin to JSONL on stdout, without Spark.
#
#   jobs/gliner.sh extract --model <dir|uri|hf://owner/name|default> --labels person,location < in.jsonl > out.jsonl
#   jobs/gliner.sh settings > python/gliner_spark/settings.json     # the settings registry as JSON
#   jobs/gliner.sh settings-doc > docs/settings.md                  # and as the documentation's settings page
#   jobs/gliner.sh --help
#
# Builds the project first when it has not been built. JVM options can be added with GLINER_JAVA_OPTS.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath_file="$root/target/classpath.txt"

if ! compgen -G "$root/target/gliner-spark-*.jar" > /dev/null || [[ ! -f "$classpath_file" ]]; then
  echo "gliner: building the project (mvn -B -q package -DskipTests)" >&2
  (cd "$root" && mvn -B -q package -DskipTests) >&2
fi

# The classpath goes through an argument file: a long java command line is both fragile and, with some
# ONNX Runtime versions, fatal.
argfile="$root/target/gliner-cli.args"
printf -- '-cp\n"%s:%s"\n' "$root/target/classes" "$(cat "$classpath_file")" > "$argfile"

# shellcheck disable=SC2086 # GLINER_JAVA_OPTS is a list of options
exec java ${GLINER_JAVA_OPTS:-} -Dai.djl.offline=true @"$argfile" io.glinerspark.cli.GlinerCli "$@"
