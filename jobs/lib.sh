# Shared by the scripts under jobs/ (source it): builds the project when needed and runs a main class through
# SparkSubmit, as spark-submit does.
#
#   SPARK_HOME          when set, $SPARK_HOME/bin/spark-submit runs the job; otherwise SparkSubmit runs from the
#                       Maven classpath (target/classpath.txt), local[*] unless told otherwise
#   GLINER_SUBMIT_ARGS  extra spark-submit arguments, word-split (e.g. "--master local[2] --driver-memory 4g")
#   JAVA_OPTS           extra JVM options for the driver when SPARK_HOME is not set

GLINER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Spark's own launcher adds these for JDK 17+; without SPARK_HOME we start the JVM ourselves. The first flag lets
# JDK 17 skip options only newer JDKs know.
GLINER_JAVA_MODULE_OPTIONS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
)

# The application jar (shaded), built by `mvn package` when missing or older than the sources.
gliner_app_jar() {
  local jar
  for jar in "$GLINER_ROOT"/target/gliner-spark-*.jar; do
    case "$jar" in
      *-tests.jar|*-sources.jar|*-javadoc.jar) ;;
      *) [ -f "$jar" ] && { echo "$jar"; return 0; } ;;
    esac
  done
  return 1
}

gliner_ensure_built() {
  local jar
  jar="$(gliner_app_jar || true)"
  if [ -z "$jar" ] || [ ! -f "$GLINER_ROOT/target/classpath.txt" ] \
      || [ -n "$(find "$GLINER_ROOT/src/main" "$GLINER_ROOT/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "building $GLINER_ROOT (mvn package -DskipTests) ..." >&2
    (cd "$GLINER_ROOT" && mvn -B -q package -DskipTests) >&2
  fi
}

# Quotes one argument for a java @argfile.
gliner_argfile_quote() {
  local value="${1//\\/\\\\}"
  printf '"%s"\n' "${value//\"/\\\"}"
}

# gliner_submit <main class> [job arguments...]: runs the class as spark-submit would, from the repository jar.
gliner_submit() {
  local main_class="$1"
  shift
  gliner_ensure_built
  local jar
  jar="$(gliner_app_jar)"
  local -a submit_args
  read -r -a submit_args <<< "${GLINER_SUBMIT_ARGS:-}"
  # DJL would otherwise look for a CUDA build of its tokenizer library on GPU hosts and try to download it.
  export DJL_OFFLINE="${DJL_OFFLINE:-true}"
  if [ -n "${SPARK_HOME:-}" ]; then
    exec "$SPARK_HOME/bin/spark-submit" --class "$main_class" "${submit_args[@]}" "$jar" "$@"
  fi
  # The Spark classpath is ~19 KB: an @argfile keeps it off the java command line, which ONNX Runtime's telemetry
  # scans and which process listings truncate.
  local argfile="$GLINER_ROOT/target/jobs/${main_class##*.}.args"
  mkdir -p "$(dirname "$argfile")"
  {
    echo "-cp"
    gliner_argfile_quote "$jar:$(cat "$GLINER_ROOT/target/classpath.txt")"
    local option
    for option in "${GLINER_JAVA_MODULE_OPTIONS[@]}"; do
      gliner_argfile_quote "$option"
    done
  } > "$argfile"
  local -a java_opts
  read -r -a java_opts <<< "${JAVA_OPTS:-}"
  exec java "${java_opts[@]}" "@$argfile" org.apache.spark.deploy.SparkSubmit \
    --class "$main_class" "${submit_args[@]}" "$jar" "$@"
}

# gliner_bench_record OUTPUT STARTUP_CPU FIELDS_JSON: one JSON line for a gliner_timed_bench run: the fields of
# FIELDS_JSON, then the bench's docs, entities and docs_per_s, its CPU seconds and docs per CPU-second net of
# STARTUP_CPU (the CPU seconds of a one-document run: JVM start, model load, first batch)
gliner_bench_record() {
  python3 -c '
import json, sys
line, cpu = sys.argv[1].splitlines()
bench, cpu, startup = json.loads(line), float(cpu), float(sys.argv[2])
print(json.dumps({**json.loads(sys.argv[3]), "docs": bench["docs"], "entities": bench["entities"],
                  "docs_per_s": bench["docs_per_s"], "cpu_s": round(cpu, 2), "startup_cpu_s": startup,
                  "docs_per_cpu_s": round((bench["docs"] - 1) / (cpu - startup), 3)}))' "$@"
}

# gliner_timed_bench ARGS...: jobs/bench.sh ARGS, printing its JSON line and then the process's user + system
# seconds on a second line (the benchmark harnesses subtract a one-document run's seconds to leave out start-up).
gliner_timed_bench() {
  local timing
  timing="$(mktemp)"
  /usr/bin/time -f '%U %S' -o "$timing" "$GLINER_ROOT/jobs/bench.sh" "$@" 2>/dev/null
  awk '{ print $1 + $2 }' "$timing"
  rm -f "$timing"
}
