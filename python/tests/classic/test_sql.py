"""gliner_spark.register in a session started without the extension: the SQL function, batched, in SQL and
through F.expr; analysis errors as Python exceptions."""

import pytest
from pyspark.errors import AnalysisException
from pyspark.sql import functions as F

import gliner_spark
import support


@pytest.fixture(scope="module")
def docs(registered):
    registered.sql(
        "CREATE OR REPLACE TEMP VIEW sql_docs AS SELECT * FROM VALUES "
        "(1, 'Alice and Bob visited London'), (2, NULL), (3, '') AS t(id, body)"
    )
    return registered.table("sql_docs")


def test_a_new_session_has_no_function_until_registered(spark):
    fresh = spark.newSession()
    with pytest.raises(AnalysisException, match="gliner_extract"):
        fresh.sql("SELECT gliner_extract('Alice', array('person'))").collect()
    gliner_spark.register(fresh)
    gliner_spark.register(fresh)  # harmless
    assert support.entity_strings(fresh.sql("SELECT gliner_extract('Alice met Bob', array('person')) AS e")
                                  .first()["e"]) == ["Alice|person|0|5", "Bob|person|10|13"]


def test_lateral_view_explode(registered, docs):
    rows = registered.sql(
        "SELECT id, e.text, e.label, e.start FROM sql_docs "
        "LATERAL VIEW explode(gliner_extract(body, array('person', 'location'))) t AS e ORDER BY id, e.start"
    ).collect()
    assert [(r["id"], r["text"], r["label"], r["start"]) for r in rows] == [
        (1, "Alice", "person", 0), (1, "Bob", "person", 10), (1, "London", "location", 22)]


def test_null_and_empty_text_and_the_batched_plan(registered, docs):
    query = docs.select("id", F.expr("gliner_extract(body, array('person'), 0.5)").alias("e")).orderBy("id")
    rows = {r["id"]: r["e"] for r in query.collect()}
    assert rows[2] is None and rows[3] == []
    plan = query._jdf.queryExecution().executedPlan().toString()
    assert "GlinerBatch" in plan


def test_wrong_arguments_are_analysis_errors_naming_the_signature(registered, docs):
    with pytest.raises(AnalysisException, match=r"labels must be ARRAY<STRING>"):
        registered.sql("SELECT gliner_extract(body, 'person') FROM sql_docs").collect()
    with pytest.raises(AnalysisException, match="unknown option 'model'"):
        registered.sql("SELECT gliner_extract(body, array('person'), 0.5, map('model', 'x')) FROM sql_docs").collect()
