#!/usr/bin/env bash
# Scale-out of the extraction job on a real standalone cluster started from the build's class path: a Master and two
# Workers of one core each on this machine, one input file, the job on one Worker and then on both
# (io.glinerspark.cluster.ScaleOutBenchmark, among the test classes). Prints a table and the ratio.
#
#   jobs/bench-cluster.sh [--docs 2000] [--corpus ../shared/data/corpus/en_docs.jsonl] [--model default]
#       [--labels person,organization,location,date,product]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$root/target/test-classes/io/glinerspark/cluster/ScaleOutBenchmark.class" ] \
    || [ ! -f "$root/target/classpath.txt" ] \
    || [ -n "$(find "$root/src" "$root/pom.xml" -newer "$root/target/test-classes/io/glinerspark/cluster/ScaleOutBenchmark.class" -print -quit)" ]; then
  echo "building $root (mvn test-compile) ..." >&2
  (cd "$root" && mvn -B -q test-compile) >&2
fi
exec java -cp "$root/target/test-classes:$root/target/classes:$(cat "$root/target/classpath.txt")" \
  -Dgliner.repo.root="$root" io.glinerspark.cluster.ScaleOutBenchmark "$@"
