"""A Spark Connect server on loopback, started from the Maven test classpath with the gliner-spark jar and its
session extension, and a Python Connect client session on it."""

import os
import socket
import subprocess
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import support  # noqa: E402

STARTUP_SECONDS = 300


def _server_command(port: int, warehouse: str):
    import gliner_spark

    conf = {
        "spark.master": "local[2]",
        "spark.app.name": "gliner-spark-connect-test",
        "spark.connect.grpc.binding.address": "127.0.0.1",
        "spark.connect.grpc.binding.port": str(port),
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension,"
                                "io.glinerspark.spark.sql.GlinerSparkSessionExtensions",
        "spark.gliner.model": support.FIXTURE_MODEL,
    }
    conf.update({k: v for k, v in support.local_session_conf().items() if k not in conf})
    conf["spark.sql.warehouse.dir"] = warehouse
    classpath = os.pathsep.join([gliner_spark.jar_path()] + support.maven_classpath())
    return (["java", "-Xmx2g", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tempfile.gettempdir()]
            + support.JAVA_MODULE_OPTIONS + ["-D%s=%s" % kv for kv in conf.items()]
            + ["-cp", classpath, "org.apache.spark.sql.connect.service.SparkConnectServer"])


def _wait_for_port(port: int, server: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            with open(log_path) as log:
                raise RuntimeError("the Connect server exited (%s):\n%s" % (server.returncode, log.read()[-4000:]))
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(1)
    raise RuntimeError("the Connect server did not listen on 127.0.0.1:%d within %ds (log: %s)"
                       % (port, STARTUP_SECONDS, log_path))


@pytest.fixture(scope="session")
def connect_url():
    port = support.free_port()
    workdir = tempfile.mkdtemp(prefix="gliner-connect-")
    log_path = os.path.join(workdir, "server.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen(_server_command(port, os.path.join(workdir, "warehouse")), stdout=log,
                                  stderr=subprocess.STDOUT, cwd=workdir)
    try:
        _wait_for_port(port, server, log_path)
        yield "sc://127.0.0.1:%d" % port
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def spark(connect_url):
    from pyspark.sql import SparkSession

    session = SparkSession.builder.remote(connect_url).getOrCreate()
    yield session
    session.stop()
