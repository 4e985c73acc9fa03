"""jar_path(): the jar the package carries, errors for a wrong GLINER_SPARK_JAR; the tested PySpark is the pom's
Spark."""

import os
import re
import zipfile

import pytest

import gliner_spark
import support


def test_the_installed_package_carries_the_jar():
    path = gliner_spark.jar_path()
    assert os.path.isfile(path) and os.path.basename(path).startswith("gliner-spark-")
    with zipfile.ZipFile(path) as jar:
        names = set(jar.namelist())
    assert "io/glinerspark/spark/sql/GlinerFunctions.class" in names
    assert "META-INF/services/org.apache.spark.ml.Transformer" in names


def test_the_installed_package_carries_the_settings_registry():
    from gliner_spark import settings

    assert os.path.isfile(os.path.join(os.path.dirname(gliner_spark.__file__), "settings.json"))
    assert settings.SETTINGS["threshold"]["default"] == 0.5
    assert "transformer" in settings.SETTINGS["model"]["frontEnds"]


def test_a_missing_named_jar_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("GLINER_SPARK_JAR", str(tmp_path / "nothing.jar"))
    with pytest.raises(FileNotFoundError, match="GLINER_SPARK_JAR=.*nothing.jar: no such file"):
        gliner_spark.jar_path()


def test_the_tested_pyspark_is_the_poms_spark_version():
    import pyspark

    with open(os.path.join(support.REPO, "pom.xml")) as pom:
        spark_version = re.search(r"<spark.version>([^<]+)</spark.version>", pom.read()).group(1)
    assert pyspark.__version__ == spark_version
