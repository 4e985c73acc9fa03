"""The notebooks under notebooks/ run, cell by cell, in a local session that has only the jar (no extension)."""

import os

import support
from notebook_runner import cells, run


def test_python_notebook_runs(registered, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    spark = registered.newSession()  # the notebook registers the function itself
    path = os.path.join(support.NOTEBOOKS, "02_gliner_python.py")
    outcome = run(path, spark, widgets={"scratch": str(tmp_path)})
    documents = spark.table("gliner_documents").collect()
    assert sorted(row["doc_id"] for row in documents) == ["d1", "d2", "d3", "d4"]
    per_label = {row["label"]: row["entities"] for row in outcome["displayed"][2]}
    assert per_label.get("person", 0) >= 2, per_label
    assert os.path.isdir(os.path.join(str(tmp_path), "gliner-pipeline", "stages"))


def test_sql_notebook_runs(registered):
    spark = registered.newSession()  # the notebook's %python cell registers the function
    path = os.path.join(support.NOTEBOOKS, "01_gliner_sql.sql")
    assert cells(path)[1][0] == "python"
    outcome = run(path, spark)
    described = "\n".join(str(row[0]) for row in outcome["sql_results"][0])
    assert "gliner_extract" in described
    explained = "\n".join(str(row[0]) for row in outcome["sql_results"][4])
    assert "GlinerBatch" in explained, explained
    counts = {row["label"]: row["entities"] for row in outcome["sql_results"][-1]}
    assert counts, "no entity stored in doc_entities"
