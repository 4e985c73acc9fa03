#!/usr/bin/env bash
# Shared launcher of the Spark jobs: sourced by extract.sh, sql.sh and bench-spark.sh.
#
#   submit <main class> [arguments...]
#
# With SPARK_HOME set: $SPARK_HOME/bin/spark-submit. Without: Spark's own SparkSubmit class from the project's
# Maven classpath (target/classpath.txt), which behaves as spark-submit for local masters. The classpath goes into a
# Java @argfile so the command line stays short (ONNX Runtime 1.29 crashes on very long ones).
# GLINER_SUBMIT_OPTS adds spark-submit options (e.g. "--master spark://host:7077 --executor-memory 8g");
# GLINER_JAVA_OPTS adds JVM options to the local launcher.

GLINER_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export GLINER_HOME
# The tokenizer library must not look for a GPU build online (DJL).
export DJL_OFFLINE=true

gliner_jar() {
    ls "$GLINER_HOME"/target/gliner-spark-*.jar 2>/dev/null | grep -v -e '-original' -e '-sources' -e '-tests' | head -n 1
}

ensure_built() {
    if [[ -z "$(gliner_jar)" || ! -f "$GLINER_HOME/target/classpath.txt" ]]; then
        echo "Building the jar (mvn -B -q package -DskipTests) ..." >&2
        (cd "$GLINER_HOME" && mvn -B -q package -DskipTests) || { echo "build failed" >&2; exit 1; }
    fi
}

submit() {
    local main_class="$1"
    shift
    ensure_built
    local jar
    jar="$(gliner_jar)"
    # shellcheck disable=SC2086
    if [[ -n "${SPARK_HOME:-}" ]]; then
        exec "$SPARK_HOME/bin/spark-submit" --class "$main_class" \
            --conf spark.executorEnv.DJL_OFFLINE=true ${GLINER_SUBMIT_OPTS:-} "$jar" "$@"
    fi
    local argfile="$GLINER_HOME/target/spark-submit.args"
    {
        # JDK 17 module flags that Spark's launcher adds (org.apache.spark.launcher.JavaModuleOptions).
        echo "-XX:+IgnoreUnrecognizedVMOptions"
        for module_flag in --add-modules=jdk.incubator.vector \
            --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
            --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
            --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
            --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
            --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
            --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
            --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
            --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true \
            --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED; do
            echo "$module_flag"
        done
        echo "-Dai.djl.offline=true"
        echo "-Dlog4j2.configurationFile=$GLINER_HOME/conf/log4j2.properties"
        echo "-cp"
        echo "\"$(cat "$GLINER_HOME/target/classpath.txt")\""
    } > "$argfile"
    # shellcheck disable=SC2086
    exec java @"$argfile" ${GLINER_JAVA_OPTS:-} org.apache.spark.deploy.SparkSubmit \
        --class "$main_class" ${GLINER_SUBMIT_OPTS:-} "$jar" "$@"
}
