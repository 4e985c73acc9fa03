"""Runs Databricks source-format notebooks outside Databricks: cells in order, `%md` cells skipped, `%pip`
cells checked but not run (the test environment has the package), SQL through spark.sql, with small stand-ins
for Databricks' `display` and `dbutils.widgets`."""

import re
from typing import Any, Dict, List, Tuple

SEPARATORS = {"python": "# COMMAND ----------", "sql": "-- COMMAND ----------"}
HEADERS = {"python": "# Databricks notebook source", "sql": "-- Databricks notebook source"}
MAGIC = {"python": "# MAGIC", "sql": "-- MAGIC"}


def cells(path: str) -> List[Tuple[str, str]]:
    """(language, source) of each cell; magic cells get the language of their %-command."""
    language = "sql" if path.endswith(".sql") else "python"
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith(HEADERS[language]):
        raise ValueError("%s: not a Databricks notebook (first line must be %r)" % (path, HEADERS[language]))
    result = []
    for chunk in text[len(HEADERS[language]):].split(SEPARATORS[language]):
        lines = [line for line in chunk.strip("\n").splitlines()]
        if not any(line.strip() for line in lines):
            continue
        if all(line.startswith(MAGIC[language]) or not line.strip() for line in lines):
            body = "\n".join(re.sub("^" + re.escape(MAGIC[language]) + " ?", "", line) for line in lines).strip()
            command, _, rest = body.partition("\n")
            magic = command.split()[0]
            if magic == "%md":
                result.append(("md", body))
            elif magic in ("%python", "%sql"):
                result.append((magic[1:], (command[len(magic):] + "\n" + rest).strip()))
            elif magic == "%pip":
                result.append(("pip", body))
            else:
                raise ValueError("%s: unsupported magic %s" % (path, magic))
        else:
            result.append((language, "\n".join(lines)))
    return result


def sql_statements(source: str) -> List[str]:
    """The statements of a SQL cell: split at ';' ending a line, comment lines dropped."""
    lines = [line for line in source.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in re.split(r";\s*\n", "\n".join(lines) + "\n") if s.strip()]


class Widgets:
    """dbutils.widgets: text widgets answer the value given to the runner, else their default."""

    def __init__(self, values: Dict[str, str]):
        self._values = dict(values)

    def text(self, name: str, default: str, label: str = "") -> None:
        self._values.setdefault(name, default)

    def get(self, name: str) -> str:
        return self._values[name]


class DbUtils:
    def __init__(self, widgets: Dict[str, str]):
        self.widgets = Widgets(widgets)


def run(path: str, spark: Any, widgets: Dict[str, str] = None) -> Dict[str, Any]:
    """Runs the notebook at `path`; returns what each display() showed, in order, as lists of rows."""
    shown: List[Any] = []

    def display(df: Any) -> None:
        shown.append(df.collect())

    namespace: Dict[str, Any] = {"spark": spark, "display": display, "dbutils": DbUtils(widgets or {}),
                                 "__name__": "__notebook__"}
    results: List[Any] = []
    for index, (language, source) in enumerate(cells(path)):
        where = "%s, cell %d" % (path, index + 1)
        if language == "md":
            continue
        if language == "pip":
            if "gliner_spark" not in source and "gliner-spark" not in source:
                raise AssertionError("%s: %%pip cell installs something else: %s" % (where, source))
            continue
        try:
            if language == "sql":
                for statement in sql_statements(source):
                    results.append(spark.sql(statement).collect())
            else:
                exec(compile(source, where, "exec"), namespace)
        except Exception as e:
            raise AssertionError("%s failed: %s" % (where, e)) from e
    return {"displayed": shown, "sql_results": results, "namespace": namespace}
