// Databricks notebook source
// MAGIC %md
// MAGIC # DataFrame pipeline: documents -> entities -> Delta
// MAGIC
// MAGIC Needs the gliner-spark jar installed on the cluster (see `01_gliner_sql`). One ONNX Runtime session is
// MAGIC loaded per executor JVM and shared by its tasks; the label list is broadcast once per job.

// COMMAND ----------

import io.glinerspark.spark.GlinerTransformer
import org.apache.spark.sql.functions._

val docs = spark.createDataFrame(Seq(
  ("d1", "Angela Merkel met Emmanuel Macron in Paris to discuss the Airbus contract."),
  ("d2", "Samsung unveiled the Galaxy S24 in San Jose on 17 January 2024."),
  ("d3", null.asInstanceOf[String])
)).toDF("id", "text")

val gliner = new GlinerTransformer()
  .setInputCol("text")
  .setOutputCol("entities")
  .setLabels("person", "organization", "location", "product", "date")
  .setThreshold(0.5)
  .setModel("default")          // or "hf://owner/name", "dbfs:/models/my-gliner", "abfss://..."

val withEntities = gliner.transform(docs)
display(withEntities)

// COMMAND ----------

// MAGIC %md One row per entity, appended to a Delta table (see the README's Delta section for the job's
// MAGIC idempotent `merge` mode, incremental runs and streaming).

// COMMAND ----------

withEntities
  .select(col("id").as("doc_id"), explode(col("entities")).as("e"))
  .select(col("doc_id"), col("e.text"), col("e.label"), col("e.start"), col("e.end"), col("e.score"))
  .write.format("delta").mode("append").saveAsTable("gliner_entities")

// COMMAND ----------

// MAGIC %md The transformer is an ordinary Spark ML stage: save it with a pipeline and load it elsewhere.

// COMMAND ----------

import org.apache.spark.ml.{Pipeline, PipelineModel}

val pipeline = new Pipeline().setStages(Array(gliner)).fit(docs)
pipeline.write.overwrite().save("dbfs:/tmp/gliner-pipeline")
display(PipelineModel.load("dbfs:/tmp/gliner-pipeline").transform(docs))

// COMMAND ----------

// MAGIC %md Idempotent Delta tables (entities + documents), merged per document, with incremental runs: what the
// MAGIC batch job (`jobs/extract.sh --mode merge --incremental true`) does, from a notebook.

// COMMAND ----------

import io.glinerspark.spark.{DeltaExtraction, DocumentResults, EntityTableWriter}
import java.time.Instant

val writer = new EntityTableWriter(spark,
  EntityTableWriter.Target.table("gliner_entities_merged"),
  EntityTableWriter.Target.table("gliner_documents"),
  EntityTableWriter.Mode.MERGE, java.util.List.of("label"))
val labels = java.util.List.of("person", "organization", "location", "product", "date")
val provenance = new DocumentResults.Provenance("default", null,
  DocumentResults.fingerprint(labels, gliner.extractionOptions()), s"notebook-${Instant.now}", Instant.now())
val extraction = new DeltaExtraction(gliner, "id", java.util.List.of("text"), provenance, writer)
extraction.run(docs, true)      // run it twice: the second run finds nothing new and changes nothing

display(spark.table("gliner_entities_merged"))
