"""The JVM's settings registry, as the jar's build ships it in ``settings.json``: names, docs and defaults of every
setting, so that the Python wrapper restates none of them."""

import json
import os
from typing import Any, Dict, List

_DOCUMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "settings.json")

with open(_DOCUMENT, encoding="utf-8") as _file:
    #: Every setting by name: its group, kind, default, bounds, choices, doc and the front ends that read it.
    SETTINGS: Dict[str, Dict[str, Any]] = {entry["name"]: entry for entry in json.load(_file)["settings"]}


def read_by(front_end: str) -> List[Dict[str, Any]]:
    """The settings that ``front_end`` (e.g. ``"transformer"``) reads, in the registry's order."""
    return [entry for entry in SETTINGS.values() if front_end in entry["frontEnds"]]


def transformer_defaults() -> Dict[str, Any]:
    """The defaults of the Transformer's parameters that have one."""
    return {entry["name"]: entry["default"] for entry in read_by("transformer") if entry["default"] is not None}
