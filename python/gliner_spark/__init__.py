"""Zero-shot named-entity recognition (GLiNER) for PySpark, Spark Connect and Databricks.

- :func:`jar_path` -- the gliner-spark jar, for ``spark.jars`` or a cluster library;
- :func:`register` -- adds the SQL function ``gliner_extract`` to a running session;
- :class:`GlinerTransformer` -- the ``pyspark.ml`` transformer (usable in a ``Pipeline``, saved and loaded like
  any Spark ML stage, readable by the JVM class ``io.glinerspark.spark.ml.GlinerTransformer``);
- :func:`convert` -- a model of the Python ``gliner`` library as a bundle the engine loads (``jobs/convert.sh``).
"""

from gliner_spark.convert import ModelRefused, convert
from gliner_spark.functions import register
from gliner_spark.jar import jar_path
from gliner_spark.transformer import GlinerTransformer

# The package version: pyproject.toml reads it from here; it is the Maven project version without -SNAPSHOT.
__version__ = "0.1.0"

__all__ = ["GlinerTransformer", "ModelRefused", "convert", "jar_path", "register", "__version__"]
