"""Where the gliner-spark jar is."""

import glob
import os
from typing import List

#: Environment variable that names the jar explicitly; it wins over every other place.
JAR_ENV = "GLINER_SPARK_JAR"

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _candidates(folder: str) -> List[str]:
    return sorted(
        jar
        for jar in glob.glob(os.path.join(folder, "gliner-spark-*.jar"))
        if not jar.endswith(("-tests.jar", "-sources.jar", "-javadoc.jar"))
    )


def jar_path() -> str:
    """The path of the gliner-spark jar (shaded: it carries the bundled model, ONNX Runtime and the tokenizer).

    Looked up in this order: the file named by ``$GLINER_SPARK_JAR``; the copy inside this package (a wheel built
    after ``mvn package``); the repository's ``target/`` folder when the package is used from a checkout.

    Raises:
        FileNotFoundError: when no jar is found, naming the places searched.
    """
    named = os.environ.get(JAR_ENV)
    if named:
        if not os.path.isfile(named):
            raise FileNotFoundError("%s=%s: no such file" % (JAR_ENV, named))
        return os.path.abspath(named)
    searched = [
        os.path.join(_PACKAGE_DIR, "jars"),
        os.path.normpath(os.path.join(_PACKAGE_DIR, "..", "..", "target")),
    ]
    for folder in searched:
        jars = _candidates(folder)
        if len(jars) > 1:
            raise FileNotFoundError("several gliner-spark jars in %s, keep one: %s" % (folder, jars))
        if jars:
            return jars[0]
    raise FileNotFoundError(
        "no gliner-spark jar found in %s; build it with `mvn -B package` in the repository, then reinstall this "
        "package (pip install ./python) or set %s to the jar's path" % (" or ".join(searched), JAR_ENV)
    )
