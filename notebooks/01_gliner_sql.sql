-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Zero-shot entities in SQL with `gliner_extract`
-- MAGIC
-- MAGIC Cluster setup, once (Compute -> your cluster):
-- MAGIC 1. **Libraries**: install the gliner-spark jar (`target/gliner-spark-<version>.jar` from `mvn -B package`).
-- MAGIC    It carries its own model, ONNX Runtime and tokenizer.
-- MAGIC 2. **Spark config** (Advanced options):
-- MAGIC    ```
-- MAGIC    spark.sql.extensions io.glinerspark.spark.GlinerSparkSessionExtensions
-- MAGIC    ```
-- MAGIC    Databricks runtimes already register Delta; if yours lists extensions, add ours with a comma.
-- MAGIC    Optional: `spark.gliner.model hf://owner/name` or a `dbfs:/` / `abfss://` folder holding a GLiNER ONNX
-- MAGIC    export (default: the bundled model), `spark.gliner.threshold 0.5`, `spark.gliner.device auto`.
-- MAGIC
-- MAGIC The model is chosen by whoever configures the cluster: SQL arguments cannot point it at other files.

-- COMMAND ----------

DESCRIBE FUNCTION EXTENDED gliner_extract

-- COMMAND ----------

SELECT gliner_extract(
  'Tim Cook presented the new iPhone at Apple Park in Cupertino on 9 September 2025.',
  array('person', 'company', 'product', 'location', 'date')) AS entities

-- COMMAND ----------

-- MAGIC %md One row per entity from a table of documents, with a per-label threshold and nested spans.

-- COMMAND ----------

CREATE OR REPLACE TEMP VIEW docs AS
SELECT * FROM VALUES
  ('d1', 'The patient received 200 mg of ibuprofen for a migraine at St Mary''s Hospital.'),
  ('d2', 'Pfizer and BioNTech shipped the Comirnaty vaccine to Germany and Japan.'),
  ('d3', NULL)
AS docs(id, body);

SELECT id, e.text, e.label, e.start, e.end, round(e.score, 3) AS score
FROM docs
LATERAL VIEW explode(gliner_extract(body, array('drug', 'disease', 'organization', 'country', 'hospital'), 0.5,
                                    map('labelThresholds', 'drug=0.4', 'flatNer', 'false'))) t AS e
ORDER BY id, e.start

-- COMMAND ----------

-- MAGIC %md Keep the results in Delta: the function runs in batches inside the query, like any other expression.

-- COMMAND ----------

CREATE OR REPLACE TABLE doc_entities USING DELTA AS
SELECT id AS doc_id, e.*
FROM docs LATERAL VIEW explode(gliner_extract(body, array('drug', 'disease', 'organization', 'country'))) t AS e
