"""One local PySpark session for the classic-session tests, with the gliner-spark jar and Delta, and no
gliner extension: the SQL function comes from gliner_spark.register, as on a Databricks cluster library."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import support  # noqa: E402


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    import gliner_spark

    builder = SparkSession.builder.master("local[2]").appName("gliner-spark-python-tests")
    builder = builder.config("spark.jars", ",".join([gliner_spark.jar_path()] + support.delta_jars()))
    for key, value in support.local_session_conf().items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def registered(spark):
    """The session with gliner_extract registered. The SQL function takes its model from the application's
    configuration only, which names none here: SQL runs on the bundled model."""
    import gliner_spark

    gliner_spark.register(spark)
    return spark
