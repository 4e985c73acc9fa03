#!/usr/bin/env bash
# The Python test suite: ruff over python/ and training/, then PySpark sessions, a Spark Connect server and the
# notebooks against the built jar, then the package installed as a user installs it.
#
# Needs `mvn -B package` (or verify) first: the shaded jar under target/ and target/classpath.txt (the Maven test
# classpath, which starts the Connect server and provides Delta). Creates a virtual environment with the pinned
# packages of requirements-test.txt under target/python-venv (reused while the requirements are unchanged),
# installs this package into it with pip, runs ruff (ruff.toml) and then pytest: the classic-session tests, the
# Spark Connect tests in a second process (a Connect client switches PySpark into remote mode for the whole
# process), and the install tests (a fresh venv with only the pinned PySpark and this package, from PyPI and pip's
# cache). Every part runs even when an earlier one fails; the exit status is non-zero when any failed.
#
# Without network for the venv it says SKIPPED and exits 0, except under CI=true, where tests that cannot run fail.
#
#   PYTHON       the interpreter that creates the venv (default python3)
#   PYTEST_ARGS  extra pytest arguments, e.g. "-k notebook -x"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

jar=""
for candidate in target/gliner-spark-*.jar; do
  case "$candidate" in *-tests.jar|*-sources.jar|*-javadoc.jar) ;; *) [ -f "$candidate" ] && jar="$candidate" ;; esac
done
if [ -z "$jar" ] || [ ! -f target/classpath.txt ]; then
  echo "python/run-tests.sh: no built jar or target/classpath.txt; run 'mvn -B package -DskipTests' first" >&2
  exit 1
fi

venv="$root/target/python-venv"
stamp="$venv/requirements.sha256"
wanted="$(sha256sum python/requirements-test.txt | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$venv"
  echo "creating $venv (pip install -r python/requirements-test.txt; PySpark is large, this takes minutes) ..."
  if ! "${PYTHON:-python3}" -m venv "$venv" \
      || ! "$venv/bin/pip" install -q --disable-pip-version-check -r python/requirements-test.txt; then
    rm -rf "$venv"
    why="the virtual environment could not be created (no network to PyPI, or no python3 venv module)"
    if [ "${CI:-}" = true ]; then
      echo "FAILED: the Python tests could not run: $why" >&2
      exit 1
    fi
    echo "SKIPPED: the Python tests did not run: $why" >&2
    exit 0
  fi
  echo "$wanted" > "$stamp"
fi

# A fresh build of the package, carrying the jar just built (what `pip install ./python` gives a user)
rm -rf python/build
"$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall ./python
rm -rf python/build python/*.egg-info

export GLINER_REPO_ROOT="$root"
export PYSPARK_PYTHON="$venv/bin/python"
unset SPARK_HOME SPARK_REMOTE SPARK_CONNECT_MODE_ENABLED PYSPARK_NO_NAMESPACE_SHARE
status=0
"$venv/bin/ruff" check python training || status=$?
for suite in classic connect install; do
  rc=0
  (cd "$root/target" && "$venv/bin/python" -m pytest -p no:cacheprovider -q "$root/python/tests/$suite" \
     ${PYTEST_ARGS:-}) || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "python/run-tests.sh: pytest collected no test in python/tests/$suite" >&2
    rc=1
  fi
  [ "$rc" -eq 0 ] || status=$rc
done
exit "$status"
