"""Builds the package; when the repository's jar is built (mvn package), the wheel carries a copy of it."""

import glob
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithJar(build_py):
    """Copies ../target/gliner-spark-<version>.jar into gliner_spark/jars of the build."""

    def run(self) -> None:
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        jars = [
            jar
            for jar in glob.glob(os.path.join(here, "..", "target", "gliner-spark-*.jar"))
            if not jar.endswith(("-tests.jar", "-sources.jar", "-javadoc.jar"))
        ]
        if len(jars) > 1:
            raise RuntimeError("several gliner-spark jars in ../target, keep one: %s" % sorted(jars))
        if jars:
            target = os.path.join(self.build_lib, "gliner_spark", "jars")
            os.makedirs(target, exist_ok=True)
            for old in glob.glob(os.path.join(target, "*.jar")):
                os.remove(old)
            shutil.copy2(jars[0], target)


setup(cmdclass={"build_py": BuildWithJar})
