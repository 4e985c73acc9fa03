# Databricks notebook source
# MAGIC %md
# MAGIC # Zero-shot entities from Python: DataFrame -> entities -> Delta
# MAGIC
# MAGIC Setup, once per cluster (Compute -> your cluster -> Libraries):
# MAGIC 1. install the jar `gliner-spark-<version>.jar` (from `mvn -B package`; it carries the bundled model,
# MAGIC    ONNX Runtime and the tokenizer), e.g. from a Unity Catalog volume `/Volumes/<catalog>/<schema>/libs/`;
# MAGIC 2. install the Python package: the wheel from `pip wheel ./python` (it carries the jar too), or the cell below.
# MAGIC
# MAGIC Access modes: on a **dedicated (single user)** cluster everything here works. On a **standard (shared)**
# MAGIC cluster user code has no `sparkContext` and no JVM access, so `gliner_spark.register(spark)` cannot add the
# MAGIC function: configure the cluster with the init script of `01_gliner_sql` instead (the function is then there
# MAGIC from the start and `register` only checks it). `spark.executor.extraJavaOptions` is not available there either;
# MAGIC nothing in gliner-spark needs JVM flags.
# MAGIC
# MAGIC Models: `default` is the model inside the jar. Your own GLiNER ONNX export can live in a Unity Catalog volume,
# MAGIC read by every executor through its Hadoop URI, e.g. `dbfs:/Volumes/main/models/gliner/gliner_multi-v2.1`.

# COMMAND ----------

# MAGIC %pip install /Volumes/main/default/libs/gliner_spark-0.1.0-py3-none-any.whl

# COMMAND ----------

import gliner_spark
from pyspark.sql import functions as F

gliner_spark.register(spark)  # adds gliner_extract to this session's SQL (no-op when the cluster already has it)

MODEL = "default"  # or "dbfs:/Volumes/main/models/gliner/<bundle>", "abfss://...", "hf://owner/name"
LABELS = ["person", "organization", "location", "product", "date"]

dbutils.widgets.text("scratch", "/Volumes/main/default/scratch", "Folder for the saved pipeline")
SCRATCH = dbutils.widgets.get("scratch")

# COMMAND ----------

docs = spark.createDataFrame(
    [
        ("d1", "Angela Merkel met Emmanuel Macron in Paris to discuss the Airbus contract."),
        ("d2", "Samsung unveiled the Galaxy S24 in San Jose on 17 January 2024."),
        ("d3", None),
        ("d4", ""),
    ],
    "id string, text string",
)

gliner = gliner_spark.GlinerTransformer(
    inputCol="text",
    outputCol="entities",
    labels=LABELS,
    threshold=0.5,
    labelThresholds={"date": 0.4},
    model=MODEL,
)
with_entities = gliner.transform(docs)
display(with_entities)

# COMMAND ----------

# MAGIC %md One row per entity, as a table.

# COMMAND ----------

entity_rows = with_entities.select("id", F.explode("entities").alias("e")).select(
    F.col("id").alias("doc_id"), "e.text", "e.label", "e.start", "e.end", F.round("e.score", 3).alias("score")
)
display(entity_rows)

# COMMAND ----------

# MAGIC %md
# MAGIC Keep the results in Delta, one row per document with its entities nested. `MERGE` on the document id makes
# MAGIC re-runs idempotent: a document extracted again replaces its row, nothing is duplicated, and a changed text
# MAGIC gets its new entities.

# COMMAND ----------

spark.sql(
    """
    CREATE TABLE IF NOT EXISTS gliner_documents (
      doc_id STRING, text STRING,
      entities ARRAY<STRUCT<text: STRING, label: STRING, start: INT, `end`: INT, score: FLOAT>>,
      extracted_at TIMESTAMP)
    USING DELTA
    """
)


def merge_documents(results, id_column="id", text_column="text", entities_column="entities"):
    """Upserts one row per document of `results` into gliner_documents."""
    results.select(
        F.col(id_column).alias("doc_id"),
        F.col(text_column).alias("text"),
        F.col(entities_column).alias("entities"),
        F.current_timestamp().alias("extracted_at"),
    ).createOrReplaceTempView("gliner_batch")
    spark.sql(
        """
        MERGE INTO gliner_documents t USING gliner_batch s ON t.doc_id = s.doc_id
        WHEN MATCHED THEN UPDATE SET *
        WHEN NOT MATCHED THEN INSERT *
        """
    )


merge_documents(with_entities)
merge_documents(with_entities)  # a re-run changes nothing
assert spark.table("gliner_documents").count() == docs.count()

# COMMAND ----------

spark.sql(
    """
    CREATE OR REPLACE TEMP VIEW gliner_entities AS
    SELECT doc_id, e.text, e.label, e.start, e.end, e.score, extracted_at
    FROM gliner_documents LATERAL VIEW explode(entities) x AS e
    """
)
per_label = spark.sql(
    "SELECT label, count(*) AS entities FROM gliner_entities GROUP BY label ORDER BY entities DESC, label"
)
display(per_label)

# COMMAND ----------

# MAGIC %md Entities per label as a chart (in Databricks, the table above also offers a bar chart under "+").

# COMMAND ----------

import matplotlib.pyplot as plt

counts = per_label.toPandas()
axes = counts.plot.bar(x="label", y="entities", legend=False, title="Entities per label")
axes.set_ylabel("entities")
plt.tight_layout()
plt.show()

# COMMAND ----------

# MAGIC %md The same extraction in SQL, from Python, with the application's model (`spark.gliner.model` in the cluster's Spark config).

# COMMAND ----------

docs.createOrReplaceTempView("docs")
display(
    spark.sql(
        """
        SELECT id, e.text, e.label
        FROM docs LATERAL VIEW explode(gliner_extract(text, array('person', 'organization', 'location'))) t AS e
        ORDER BY id, e.start
        """
    )
)

# COMMAND ----------

# MAGIC %md The transformer is an ordinary Spark ML stage: save it in a pipeline, load it anywhere (Python, Scala/Java
# MAGIC with `io.glinerspark.spark.ml.GlinerTransformer`, or a Spark Connect client).

# COMMAND ----------

from pyspark.ml import Pipeline, PipelineModel

pipeline_path = SCRATCH + "/gliner-pipeline"
Pipeline(stages=[gliner]).fit(docs).write().overwrite().save(pipeline_path)
display(PipelineModel.load(pipeline_path).transform(docs).select("id", "entities"))
