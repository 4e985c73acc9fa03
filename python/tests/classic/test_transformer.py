"""GlinerTransformer from Python on a local session: NULL and empty texts, per-row labels, thresholds, errors,
the JVM's defaults and help()."""

import pydoc

import pytest
from pyspark.errors import IllegalArgumentException

import support
from gliner_spark import GlinerTransformer, settings

TEXT = "Alice and Bob visited London"


@pytest.fixture(scope="module")
def docs(spark):
    return spark.createDataFrame(
        [(1, TEXT, ["person"]), (2, None, ["person"]), (3, "", ["person"]), (4, TEXT, ["location"])],
        "id int, text string, labels array<string>",
    )


def by_id(df, column="entities"):
    return {row["id"]: row[column] for row in df.collect()}


def test_null_text_gives_null_and_empty_text_an_empty_array(docs):
    gliner = GlinerTransformer(inputCol="text", labels=["person", "location"], model=support.FIXTURE_MODEL)
    out = gliner.transform(docs)
    assert out.columns == ["id", "text", "labels", "entities"]
    rows = by_id(out)
    assert support.entity_strings(rows[1]) == ["Alice|person|0|5", "Bob|person|10|13", "London|location|22|28"]
    assert rows[2] is None
    assert rows[3] == []


def test_per_row_labels_column(docs):
    gliner = GlinerTransformer(inputCol="text", outputCol="found", labelsCol="labels", model=support.FIXTURE_MODEL)
    rows = by_id(gliner.transform(docs), "found")
    assert support.entity_strings(rows[1]) == ["Alice|person|0|5", "Bob|person|10|13"]
    assert support.entity_strings(rows[4]) == ["London|location|22|28"]


def test_label_thresholds_from_a_dict(docs):
    gliner = GlinerTransformer(inputCol="text", labels=["person", "location"], model=support.FIXTURE_MODEL,
                               labelThresholds={"location": 0.99})
    assert gliner.getLabelThresholds() == {"location": 0.99}
    assert gliner.getOrDefault("labelThresholdsSpec") == "location=0.99"
    rows = by_id(gliner.transform(docs))
    assert support.entity_strings(rows[1]) == ["Alice|person|0|5", "Bob|person|10|13"]


def test_label_descriptions_from_a_dict(docs):
    # The fixture knows person and location; "who" and "where" only reach it through their descriptions.
    gliner = GlinerTransformer(inputCol="text", labels=["who", "where"], model=support.FIXTURE_MODEL,
                               labelDescriptions={"who": "person", "where": "location"})
    assert gliner.getLabelDescriptions() == {"who": "person", "where": "location"}
    rows = by_id(gliner.transform(docs))
    assert support.entity_strings(rows[1]) == ["Alice|who|0|5", "Bob|who|10|13", "London|where|22|28"]
    plain = GlinerTransformer(inputCol="text", labels=["who", "where"], model=support.FIXTURE_MODEL)
    assert plain.getLabelDescriptions() == {}
    assert by_id(plain.transform(docs))[1] == []


def test_jvm_errors_arrive_as_python_exceptions_with_the_jvm_message(docs):
    with pytest.raises(IllegalArgumentException, match="set exactly one of labels"):
        GlinerTransformer(inputCol="text", model=support.FIXTURE_MODEL).transform(docs)
    with pytest.raises(IllegalArgumentException, match="text column 'body' not found"):
        GlinerTransformer(inputCol="body", labels=["person"]).transform(docs)
    with pytest.raises(IllegalArgumentException, match="labelThresholds"):
        GlinerTransformer(inputCol="text", labels=["person"], labelThresholdsSpec="person").transform(docs)


def test_a_failing_row_goes_to_the_error_column(spark):
    docs = spark.createDataFrame([(1, TEXT, ["person", ""]), (2, TEXT, ["person"])],
                                 "id int, text string, labels array<string>")
    gliner = GlinerTransformer(inputCol="text", labelsCol="labels", errorCol="error", model=support.FIXTURE_MODEL)
    rows = {row["id"]: row for row in gliner.transform(docs).collect()}
    assert rows[1]["entities"] is None and rows[1]["error"]
    assert rows[2]["error"] is None and support.entity_strings(rows[2]["entities"])[0] == "Alice|person|0|5"


def test_python_params_and_defaults_are_the_jvm_classs(spark):
    jvm = spark._jvm.io.glinerspark.spark.ml.GlinerTransformer()
    jvm_params = {p.name(): p for p in jvm.params()}
    python = GlinerTransformer()
    # labelThresholds is the JVM's map form; Python sets the same thresholds through labelThresholdsSpec
    assert set(jvm_params) - {"labelThresholds"} == {p.name for p in python.params}
    jvm_defaults = {name: jvm.getDefault(p).get() for name, p in jvm_params.items()
                    if jvm.hasDefault(p) and name != "labelThresholds"}
    python_defaults = {p.name: python.getOrDefault(p) for p in python.params if python.hasDefault(p)}
    assert python_defaults == jvm_defaults
    for p in python.params:
        assert p.doc == jvm_params[p.name].doc() or p.name == "labelThresholdsSpec", p.name


def test_python_params_docs_and_defaults_are_the_registrys():
    registry = {entry["name"]: entry for entry in settings.read_by("transformer")}
    python = GlinerTransformer()
    names = {p.name for p in python.params}
    # labels has no registry default (one list per call); labelThresholds is given as a dict or text and held in
    # labelThresholdsSpec, the form Spark Connect can carry
    assert names - {"labels", "labelThresholdsSpec"} == set(registry) - {"labelThresholds"}
    for p in python.params:
        if p.name in registry:
            assert p.doc == registry[p.name]["doc"], p.name
            assert python.hasDefault(p) == (registry[p.name]["default"] is not None), p.name
            if python.hasDefault(p):
                assert python.getOrDefault(p) == registry[p.name]["default"], p.name
    assert settings.SETTINGS["labelThresholds"]["frontEnds"].count("transformer") == 1


def test_help_shows_the_params():
    text = pydoc.render_doc(GlinerTransformer, renderer=pydoc.plaintext)
    for param in GlinerTransformer().params:
        assert "%s: %s" % (param.name, param.doc) in text, param.name
    assert "threshold: %s (default: 0.5)" % settings.SETTINGS["threshold"]["doc"] in text
