"""Saving and loading between Python and the JVM: a Python Pipeline read by the JVM, a JVM stage read by Python."""

import os
import tempfile

from pyspark.ml import Pipeline, PipelineModel

import support
from gliner_spark import GlinerTransformer

TEXT = "Alice and Bob visited London"


def entities_of(model, df):
    return [support.entity_strings(row["entities"]) for row in model.transform(df).orderBy("id").collect()]


def test_python_pipeline_round_trip_through_the_jvm(spark):
    docs = spark.createDataFrame([(1, TEXT), (2, None)], "id int, text string")
    gliner = GlinerTransformer(inputCol="text", labels=["person", "location"], model=support.FIXTURE_MODEL,
                               labelThresholds={"location": 0.99}, rowsPerBlock=7)
    path = os.path.join(tempfile.mkdtemp(prefix="gliner-py-pipeline-"), "pipeline")
    Pipeline(stages=[gliner]).fit(docs).write().overwrite().save(path)

    jvm_model = spark._jvm.org.apache.spark.ml.PipelineModel.load(path)
    jvm_stage = jvm_model.stages()[0]
    assert jvm_stage.getClass().getName() == "io.glinerspark.spark.ml.GlinerTransformer"
    assert jvm_stage.getOrDefault(jvm_stage.labelThresholdsSpec()) == "location=0.99"
    assert jvm_stage.getOrDefault(jvm_stage.rowsPerBlock()) == 7
    assert jvm_stage.extractionOptions().labelThresholds().get("location") is not None

    loaded = PipelineModel.load(path)
    stage = loaded.stages[0]
    assert isinstance(stage, GlinerTransformer)
    assert stage.uid == gliner.uid
    assert stage.getLabelThresholds() == {"location": 0.99}
    assert entities_of(loaded, docs) == [["Alice|person|0|5", "Bob|person|10|13"], []]


def test_jvm_stage_with_map_thresholds_loads_in_python(spark):
    docs = spark.createDataFrame([(1, TEXT)], "id int, text string")
    jvm = spark._jvm
    thresholds = jvm.java.util.HashMap()
    thresholds.put("person", 0.99)
    stage = jvm.io.glinerspark.spark.ml.GlinerTransformer().setInputCol("text").setModel(support.FIXTURE_MODEL)
    labels = spark.sparkContext._gateway.new_array(jvm.java.lang.String, 2)
    labels[0], labels[1] = "person", "location"
    stage.setLabels(labels).setLabelThresholds(thresholds)
    path = os.path.join(tempfile.mkdtemp(prefix="gliner-jvm-stage-"), "stage")
    stage.write().overwrite().save(path)

    loaded = GlinerTransformer.load(path)
    assert loaded.getLabels() == ["person", "location"]
    assert loaded.getLabelThresholds() == {"person": 0.99}
    assert entities_of(loaded, docs) == [["London|location|22|28"]]
    # saved again from Python, the thresholds are one setting, readable by the JVM
    again = path + "-again"
    loaded.write().overwrite().save(again)
    reread = jvm.io.glinerspark.spark.ml.GlinerTransformer.load(again)
    assert not reread.isSet(reread.labelThresholds())
    assert reread.getOrDefault(reread.labelThresholdsSpec()) == "person=0.99"
