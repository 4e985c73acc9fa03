-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Zero-shot entities in SQL with `gliner_extract`
-- MAGIC
-- MAGIC Cluster setup, once. The jar `gliner-spark-<version>.jar` (from `mvn -B package`) carries its own model,
-- MAGIC ONNX Runtime and tokenizer. Choose one of:
-- MAGIC
-- MAGIC **A. Cluster library + one `register` cell** (dedicated / single-user access mode). Install the jar as a
-- MAGIC cluster library (Compute -> your cluster -> Libraries, e.g. from `/Volumes/<catalog>/<schema>/libs/`) and
-- MAGIC run the Python cell below once per notebook session. Cluster libraries load after Spark has started, so
-- MAGIC `spark.sql.extensions` cannot name our class there; `register` adds the same function to the running session.
-- MAGIC
-- MAGIC **B. Init script + extension** (any access mode, including standard / shared, where user code has no JVM
-- MAGIC access). The jar must be on the classpath before Spark starts: an init script copies it into `/databricks/jars`
-- MAGIC ```bash
-- MAGIC #!/bin/bash
-- MAGIC cp /Volumes/main/default/libs/gliner-spark-0.1.0.jar /databricks/jars/
-- MAGIC ```
-- MAGIC and the cluster's Spark config (Advanced options) names the extension:
-- MAGIC ```
-- MAGIC spark.sql.extensions io.glinerspark.spark.sql.GlinerSparkSessionExtensions
-- MAGIC ```
-- MAGIC Databricks runtimes register Delta themselves; if your config already lists extensions, add ours with a comma.
-- MAGIC The register cell is then unnecessary (it does nothing when the function exists).
-- MAGIC
-- MAGIC Optional settings in the cluster's Spark config: `spark.gliner.model` (default: the bundled model; a GLiNER
-- MAGIC ONNX export in a Unity Catalog volume is read through its Hadoop URI, e.g.
-- MAGIC `dbfs:/Volumes/main/models/gliner/<bundle>`) and `spark.gliner.device`; a notebook's `SET` cannot change
-- MAGIC them, while decoding settings such as `spark.gliner.threshold` may be `SET` per session. Nothing needs
-- MAGIC JVM flags (`spark.executor.extraJavaOptions` is unavailable in shared access mode).
-- MAGIC
-- MAGIC The model is chosen by whoever configures the session: SQL arguments cannot point it at other files.
-- MAGIC Databricks SQL warehouses cannot load custom jars, so `gliner_extract` needs a cluster.

-- COMMAND ----------

-- MAGIC %python
-- MAGIC spark._jvm.io.glinerspark.spark.sql.GlinerFunctions.register(spark._jsparkSession)  # setup A only

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

-- MAGIC %md The function runs in batches inside the query (`GlinerBatch` in the plan), like any other expression.

-- COMMAND ----------

EXPLAIN SELECT gliner_extract(body, array('drug')) FROM docs

-- COMMAND ----------

-- MAGIC %md Keep the results in Delta, merged per document so that a re-run replaces instead of duplicating.

-- COMMAND ----------

CREATE TABLE IF NOT EXISTS doc_entities (doc_id STRING, text STRING, label STRING, start INT, `end` INT, score FLOAT)
USING DELTA;

MERGE INTO doc_entities t
USING (
  SELECT d.id AS doc_id, e.text, e.label, e.start, e.end, e.score
  FROM docs d LATERAL VIEW explode(gliner_extract(d.body, array('drug', 'disease', 'organization', 'country'))) x AS e
) s
ON t.doc_id = s.doc_id AND t.start = s.start AND t.`end` = s.`end` AND t.label = s.label
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;

SELECT label, count(*) AS entities FROM doc_entities GROUP BY label ORDER BY entities DESC, label
