"""Conversion of models of the reference Python ``gliner`` library into bundles the engine loads."""

import os
import subprocess
from typing import Dict, Optional

#: Environment variable naming a gliner-spark repository checkout, whose jobs/convert.sh is run.
HOME_ENV = "GLINER_SPARK_HOME"

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

#: Exit status of jobs/convert.sh for a model the engine cannot run.
REFUSED = 4


class ModelRefused(ValueError):
    """The model is of a kind the engine cannot run; the message names the gliner_config.json field."""


def _script() -> str:
    # The converter drives pinned Python environments and the repository's tools, so it lives in a checkout, not
    # in the wheel: the package used from a checkout finds it beside itself, an installed one through HOME_ENV.
    homes = [os.environ[HOME_ENV]] if os.environ.get(HOME_ENV) else []
    homes.append(os.path.normpath(os.path.join(_PACKAGE_DIR, "..", "..")))
    for home in homes:
        script = os.path.join(home, "jobs", "convert.sh")
        if os.path.isfile(script):
            return script
    raise FileNotFoundError(
        "jobs/convert.sh not found in %s: conversion runs from a gliner-spark repository checkout; set %s to one"
        % (" or ".join(homes), HOME_ENV)
    )


def convert(source: str, out: str, env: Optional[Dict[str, str]] = None) -> str:
    """Converts a reference-library model into a bundle folder, as ``jobs/convert.sh SOURCE OUT`` does.

    Args:
        source: the folder ``GLiNER.save_pretrained`` wrote, or ``hf://owner/name[@revision]``.
        out: the bundle folder to write (``model.onnx``, ``tokenizer.json``, ``gliner_config.json``, ...).
        env: extra environment for the script (``CHECK_TEXTS``, ``MIN_AGREEMENT``, ``GPU_GRAPH``, ...).

    Returns:
        The script's report: one line per graph with its agreement.

    Raises:
        ModelRefused: the engine cannot run this kind of model (label decoder, relation heads, ...).
        subprocess.CalledProcessError: the conversion failed otherwise; its ``stderr`` holds the log.
        FileNotFoundError: no repository checkout holds ``jobs/convert.sh``.
    """
    environment = dict(os.environ)
    environment.update(env or {})
    done = subprocess.run(
        ["bash", _script(), str(source), str(out)], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode == REFUSED:
        raise ModelRefused(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "model refused")
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
    return done.stdout
