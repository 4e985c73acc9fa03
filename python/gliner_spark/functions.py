"""The SQL function ``gliner_extract`` in a running session."""

from pyspark.sql import SparkSession

FUNCTION_NAME = "gliner_extract"
_EXTENSION = "io.glinerspark.spark.sql.GlinerSparkSessionExtensions"


def _is_connect(spark: SparkSession) -> bool:
    try:
        from pyspark.sql.connect.session import SparkSession as ConnectSession
    except ImportError:  # a PySpark without the Connect client's dependencies
        return False
    return isinstance(spark, ConnectSession)


def register(spark: SparkSession) -> None:
    """Registers ``gliner_extract`` in ``spark``, batched as with the session extension.

    For sessions whose jar was loaded after Spark started (``spark.jars``, a Databricks cluster library), where
    ``spark.sql.extensions`` cannot name the extension. Calling it again, or in a session that has the extension,
    changes nothing. It applies to ``spark`` only: a session from ``spark.newSession()`` needs its own call.

    A Spark Connect client has no JVM of its own: there the server must have been started with
    ``spark.sql.extensions=io.glinerspark.spark.sql.GlinerSparkSessionExtensions``; this function then only checks
    that the function exists.

    Raises:
        RuntimeError: when the jar is not on the session's classpath, or a Connect server lacks the function.
    """
    if _is_connect(spark):
        if not spark.catalog.functionExists(FUNCTION_NAME):
            raise RuntimeError(
                "%s is not available on this Spark Connect server: start the server with the gliner-spark jar and "
                "spark.sql.extensions=%s (a Connect client cannot register JVM functions itself)"
                % (FUNCTION_NAME, _EXTENSION)
            )
        return
    from py4j.java_gateway import JavaClass

    try:
        functions = spark._jvm.io.glinerspark.spark.sql.GlinerFunctions  # type: ignore[union-attr]
    except Exception as e:  # e.g. a Databricks cluster in standard (shared) access mode blocks JVM access
        raise RuntimeError(
            "this session gives Python no JVM access (%s), so %s cannot be registered from here: start the cluster "
            "or server with the jar on its classpath and spark.sql.extensions=%s" % (e, FUNCTION_NAME, _EXTENSION)
        ) from e
    if not isinstance(functions, JavaClass):
        raise RuntimeError(
            "io.glinerspark.spark.sql.GlinerFunctions is not on this session's classpath: start the session with "
            "spark.jars=gliner_spark.jar_path() (or install the jar as a cluster library) before calling register"
        )
    functions.register(spark._jsparkSession)
