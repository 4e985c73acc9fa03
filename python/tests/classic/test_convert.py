"""gliner_spark.convert runs the repository's jobs/convert.sh: a model the engine cannot run is refused with the
gliner_config.json field named, before any Python environment is made (the full conversion is covered by the
tools-tier ConverterTest)."""

import json
import pathlib
import subprocess

import pytest

import gliner_spark
from gliner_spark.convert import HOME_ENV

# The tests run the installed package, which is not inside the checkout: name the checkout as a user would.
REPOSITORY = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _checkout(monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(REPOSITORY))


@pytest.mark.parametrize("field", ["labels_decoder", "relations_layer", "triples_layer"])
def test_models_the_engine_cannot_run_are_refused_naming_the_field(tmp_path, field):
    model = tmp_path / "model"
    model.mkdir()
    (model / "gliner_config.json").write_text(json.dumps({"span_mode": "markerV0", field: "some-model"}))
    (model / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(gliner_spark.ModelRefused, match=field + " is set"):
        gliner_spark.convert(str(model), str(tmp_path / "out"), env={"SKIP_INSTALL": "1"})
    assert not (tmp_path / "out").exists()


def test_a_failed_conversion_raises_with_the_log(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as failure:
        gliner_spark.convert(str(tmp_path / "missing"), str(tmp_path / "out"))
    assert "neither a folder nor hf://owner/name" in failure.value.stderr
