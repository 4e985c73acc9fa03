"""A Python Spark Connect client against a server that has the gliner-spark jar and extension: the SQL function
in SQL and F.expr, the Transformer through Connect ML, errors with the server's message."""

import pytest
from pyspark.errors import PySparkException
from pyspark.sql import functions as F

import gliner_spark
import support
from gliner_spark import GlinerTransformer

TEXT = "Alice and Bob visited London"


@pytest.fixture(scope="module")
def docs(spark):
    return spark.createDataFrame([(1, TEXT, ["person"]), (2, None, ["person"]), (3, "", ["location"])],
                                 "id int, text string, labels array<string>")


def test_the_client_is_a_connect_session(spark):
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    assert isinstance(spark, ConnectSession)
    gliner_spark.register(spark)  # the server has the function: nothing to do, no error


def test_sql_function_in_sql(spark):
    rows = spark.sql(
        "SELECT e.text, e.label FROM VALUES ('%s') AS t(body) "
        "LATERAL VIEW explode(gliner_extract(body, array('person', 'location'))) x AS e ORDER BY e.start" % TEXT
    ).collect()
    assert [(r["text"], r["label"]) for r in rows] == [("Alice", "person"), ("Bob", "person"), ("London", "location")]


def test_sql_function_through_f_expr(docs):
    rows = {r["id"]: r["e"] for r in
            docs.select("id", F.expr("gliner_extract(text, labels, 0.5)").alias("e")).collect()}
    assert support.entity_strings(rows[1]) == ["Alice|person|0|5", "Bob|person|10|13"]
    assert rows[2] is None
    assert rows[3] == []


def test_transformer_through_connect_ml(docs):
    gliner = GlinerTransformer(inputCol="text", outputCol="found", labels=["person", "location"],
                               labelThresholds={"location": 0.99}, model=support.FIXTURE_MODEL)
    assert gliner.getLabelThresholds() == {"location": 0.99}
    out = gliner.transform(docs)
    assert out.columns == ["id", "text", "labels", "found"]
    rows = {r["id"]: r["found"] for r in out.collect()}
    assert support.entity_strings(rows[1]) == ["Alice|person|0|5", "Bob|person|10|13"]
    assert rows[2] is None and rows[3] == []

    per_row = GlinerTransformer(inputCol="text", labelsCol="labels", model=support.FIXTURE_MODEL).transform(docs)
    assert support.entity_strings({r["id"]: r["entities"] for r in per_row.collect()}[1]) == [
        "Alice|person|0|5", "Bob|person|10|13"]


def test_transformer_save_and_load_through_connect(spark, docs, tmp_path):
    gliner = GlinerTransformer(inputCol="text", labels=["person"], model=support.FIXTURE_MODEL, rowsPerBlock=3)
    path = str(tmp_path / "stage")
    gliner.write().overwrite().save(path)
    loaded = GlinerTransformer.load(path)
    assert isinstance(loaded, GlinerTransformer)
    assert loaded.getLabels() == ["person"] and loaded.getOrDefault("rowsPerBlock") == 3
    assert support.entity_strings(loaded.transform(docs).filter("id = 1").first()["entities"]) == [
        "Alice|person|0|5", "Bob|person|10|13"]


def test_a_connect_client_may_load_only_the_applications_model(spark, docs):
    # The server leaves spark.gliner.allowedModelSources unset: its clients get the application's model only, never
    # another folder of the server (or a hub id fetched with the server's credentials).
    other = support.FIXTURE_MODEL + "_width4"
    with pytest.raises(PySparkException) as refused:
        GlinerTransformer(inputCol="text", labels=["person"], model=other).transform(docs).collect()
    message = str(refused.value)
    assert "model '%s' (onnxFile 'auto') is not allowed to Spark Connect clients" % other in message
    assert "spark.gliner.allowedModelSources is not set" in message
    with pytest.raises(PySparkException, match="spark.gliner.allowedModelSources"):
        GlinerTransformer(inputCol="text", labels=["person"], model="hf://someone/model").transform(docs).columns
    # Another ONNX file of the application's bundle is another model.
    with pytest.raises(PySparkException, match="onnxFile '../../span_width4/model.onnx'"):
        GlinerTransformer(inputCol="text", labels=["person"], model=support.FIXTURE_MODEL,
                          onnxFile="../../span_width4/model.onnx").transform(docs).collect()
    # The client's session cannot widen the application's setting.
    spark.conf.set("spark.gliner.allowedModelSources", "any")
    try:
        with pytest.raises(PySparkException, match="not allowed to Spark Connect clients"):
            GlinerTransformer(inputCol="text", labels=["person"], model=other).transform(docs).collect()
    finally:
        spark.conf.unset("spark.gliner.allowedModelSources")
    found = GlinerTransformer(inputCol="text", labels=["person"], model=support.FIXTURE_MODEL).transform(docs)
    assert support.entity_strings(found.filter("id = 1").first()["entities"]) == [
        "Alice|person|0|5", "Bob|person|10|13"]


def test_server_errors_reach_the_client_with_their_message(spark, docs):
    with pytest.raises(PySparkException, match="set exactly one of labels"):
        GlinerTransformer(inputCol="text", model=support.FIXTURE_MODEL).transform(docs).collect()
    with pytest.raises(PySparkException, match="labels must be ARRAY<STRING>"):
        spark.sql("SELECT gliner_extract('x', 'person')").collect()
