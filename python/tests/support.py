"""Paths and settings shared by the Python tests (imported by both suites' conftest)."""

import os
import socket
import tempfile
from typing import List

REPO = os.path.abspath(os.environ.get("GLINER_REPO_ROOT") or os.path.join(os.path.dirname(__file__), "..", ".."))
TARGET = os.path.join(REPO, "target")
FIXTURE_MODEL = os.path.join(REPO, "src", "test", "resources", "fixtures", "span")
NOTEBOOKS = os.path.join(REPO, "notebooks")

# JVM flags that Spark's launcher adds on JDK 17+; the Connect server is started without the launcher.
JAVA_MODULE_OPTIONS = [
    "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "-Djdk.reflect.useDirectMethodHandle=false",
    "-Dio.netty.tryReflectionSetAccessible=true",
]


def maven_classpath() -> List[str]:
    """The Maven test classpath the build wrote (Spark, Delta, Spark Connect, ...)."""
    path = os.path.join(TARGET, "classpath.txt")
    if not os.path.isfile(path):
        raise FileNotFoundError("%s is missing: build the project with mvn first" % path)
    with open(path) as f:
        return [entry for entry in f.read().strip().split(os.pathsep) if entry]


def delta_jars() -> List[str]:
    """Delta Lake's jars from the Maven classpath (PySpark's own jars do not include Delta)."""
    jars = [jar for jar in maven_classpath() if os.path.basename(jar).startswith(("delta-spark_", "delta-storage-"))]
    if len(jars) != 2:
        raise FileNotFoundError("Delta jars not found in target/classpath.txt: %s" % jars)
    return jars


def local_session_conf() -> dict:
    """Settings of the tests' local sessions: loopback only, no UI, small shuffles, Delta enabled."""
    return {
        "spark.ui.enabled": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.shuffle.partitions": "1",
        "spark.default.parallelism": "2",
        "spark.sql.warehouse.dir": tempfile.mkdtemp(prefix="gliner-py-warehouse-"),
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.databricks.delta.snapshotPartitions": "1",
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def entity_strings(entities) -> List[str]:
    """Entities as 'text|label|start|end' (scores vary in their last digits between platforms)."""
    return ["%s|%s|%d|%d" % (e["text"], e["label"], e["start"], e["end"]) for e in (entities or [])]
