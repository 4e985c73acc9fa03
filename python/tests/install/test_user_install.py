"""`pip install pyspark==<pinned> ./python` into a fresh virtual environment, as a user does, then import the
package, register the SQL function and transform a DataFrame there. The test environment pins more than PySpark
needs (numpy among them), so only an environment of its own shows a dependency the package forgets to declare.

The new environment gets what pip gives it: PyPI (or the configured index) and pip's cache, where the PySpark
wheel built for the test environment already is."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

import support

PIP_SECONDS = 1800
SPARK_SECONDS = 600

# What a user runs once the package is installed; prints what it found as one JSON line.
USER_SCRIPT = r'''
import json
import sys

import gliner_spark
from pyspark.sql import SparkSession

fixture_model = sys.argv[1]
jar = gliner_spark.jar_path()
spark = (SparkSession.builder.master("local[1]").appName("gliner-spark-user-install")
         .config("spark.jars", jar)
         .config("spark.ui.enabled", "false")
         .config("spark.driver.host", "127.0.0.1")
         .config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.sql.shuffle.partitions", "1")
         .getOrCreate())
try:
    gliner_spark.register(spark)
    docs = spark.createDataFrame([(1, "Alice and Bob visited London")], "id int, text string")
    transformer = gliner_spark.GlinerTransformer(inputCol="text", labels=["person", "location"], model=fixture_model)
    found = transformer.transform(docs).first()["entities"]
    sql = spark.sql("SELECT gliner_extract('Alice met Bob', array('person')) AS e").first()["e"]
    def strings(entities):
        return ["%s|%s|%d|%d" % (e["text"], e["label"], e["start"], e["end"]) for e in entities]
    print("RESULT " + json.dumps({"version": gliner_spark.__version__, "jar": jar, "package": gliner_spark.__file__,
                                  "transformer": strings(found), "sql": strings(sql)}))
finally:
    spark.stop()
'''

# pip's messages when it cannot reach the index at all (not when a name or version is missing there)
_NO_NETWORK = re.compile(r"NewConnectionError|Failed to establish a new connection|Temporary failure in name "
                         r"resolution|Name or service not known|Network is unreachable|No route to host")


def pinned(requirement: str) -> str:
    with open(os.path.join(support.REPO, "python", "requirements-test.txt")) as f:
        for line in f:
            if line.split("==")[0].strip().lower() == requirement:
                return line.strip()
    raise AssertionError("%s is not pinned in python/requirements-test.txt" % requirement)


def run(command, timeout, **kwargs):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
                            **kwargs)
    return result.returncode, result.stdout


def user_environment(venv: str) -> dict:
    """The caller's environment without what points at the repository or the test environment."""
    env = {k: v for k, v in os.environ.items() if k not in (
        "GLINER_SPARK_JAR", "GLINER_REPO_ROOT", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "SPARK_HOME",
        "SPARK_REMOTE", "SPARK_CONNECT_MODE_ENABLED", "PYSPARK_NO_NAMESPACE_SHARE")}
    env["PYSPARK_PYTHON"] = env["PYSPARK_DRIVER_PYTHON"] = os.path.join(venv, "bin", "python")
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtual environment with only the pinned PySpark and this package (and what they declare)."""
    work = tmp_path_factory.mktemp("user-install")
    # A copy of the checkout's package folder next to the repository's target/ (whose jar the build copies into
    # the wheel), so that pip's build leaves nothing behind in python/.
    checkout = work / "checkout"
    shutil.copytree(os.path.join(support.REPO, "python"), checkout / "python",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "tests"))
    os.symlink(support.TARGET, checkout / "target")
    venv = str(work / "venv")
    rc, out = run([sys.executable, "-m", "venv", venv], 300)
    assert rc == 0, "python -m venv failed:\n" + out
    env = user_environment(venv)
    rc, out = run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "--disable-pip-version-check",
                   pinned("pyspark"), str(checkout / "python")], PIP_SECONDS, env=env, cwd=str(work))
    if rc != 0 and _NO_NETWORK.search(out) and os.environ.get("CI") != "true":
        pytest.skip("pip could not reach the package index:\n" + out[-2000:])
    assert rc == 0, "pip install failed:\n" + out[-6000:]
    yield venv, env, work
    # PySpark makes the environment about half a gigabyte; pytest would keep it with its last temporary folders
    shutil.rmtree(str(work), ignore_errors=True)


def test_the_installed_package_imports_registers_and_transforms(installed):
    venv, env, work = installed
    script = work / "user.py"
    script.write_text(USER_SCRIPT)
    rc, out = run([os.path.join(venv, "bin", "python"), str(script), support.FIXTURE_MODEL], SPARK_SECONDS,
                  env=env, cwd=str(work))
    assert rc == 0, "the user's script failed:\n" + out[-6000:]
    results = [line[len("RESULT "):] for line in out.splitlines() if line.startswith("RESULT ")]
    assert len(results) == 1, out[-6000:]
    result = json.loads(results[0])
    # the package and the jar it carries come from the new environment, not from the checkout
    inside = os.path.realpath(venv) + os.sep
    assert os.path.realpath(result["package"]).startswith(inside), result["package"]
    assert os.path.realpath(result["jar"]).startswith(inside), result["jar"]
    assert os.path.basename(result["jar"]).startswith("gliner-spark-")
    assert result["transformer"] == ["Alice|person|0|5", "Bob|person|10|13", "London|location|22|28"]
    assert result["sql"] == ["Alice|person|0|5", "Bob|person|10|13"]


def test_the_installed_distribution_declares_its_dependencies(installed):
    venv, env, work = installed
    rc, out = run([os.path.join(venv, "bin", "python"), "-c",
                   "from importlib import metadata; import json; "
                   "print(json.dumps([metadata.version('gliner-spark'), metadata.requires('gliner-spark')]))"],
                  60, env=env, cwd=str(work))
    assert rc == 0, out
    version, requires = json.loads(out.strip().splitlines()[-1])
    import gliner_spark

    assert version == gliner_spark.__version__
    assert any(re.match(r"numpy\b", r) for r in requires), requires
