"""The package version: one place (gliner_spark.__version__), which the installed distribution reports and which
is the Maven project's version (without -SNAPSHOT), since the package carries that build's jar."""

import os
import re
from importlib import metadata

import gliner_spark
import support


def maven_version() -> str:
    with open(os.path.join(support.REPO, "pom.xml")) as f:
        pom = f.read()
    # the project's own <version>: the first one after its artifactId (the parent-less pom has no earlier one)
    match = re.search(r"<artifactId>gliner-spark</artifactId>\s*<version>([^<]+)</version>", pom)
    assert match, "no project version in pom.xml"
    return match.group(1)


def test_the_installed_distribution_has_the_package_version():
    assert metadata.version("gliner-spark") == gliner_spark.__version__


def test_the_package_version_is_the_maven_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", gliner_spark.__version__), gliner_spark.__version__
    assert maven_version().removesuffix("-SNAPSHOT") == gliner_spark.__version__


def test_pyproject_takes_the_version_from_the_package():
    with open(os.path.join(support.REPO, "python", "pyproject.toml")) as f:
        pyproject = f.read()
    project = re.search(r"(?ms)^\[project\]$(.*?)(?=^\[)", pyproject).group(1)
    assert re.search(r"(?m)^version\s*=", project) is None
    assert re.search(r'(?m)^dynamic = \["version"\]$', project)
    assert 'version = { attr = "gliner_spark.__version__" }' in pyproject
