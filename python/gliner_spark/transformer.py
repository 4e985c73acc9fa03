"""``GlinerTransformer``: the ``pyspark.ml`` wrapper of the JVM ``io.glinerspark.spark.ml.GlinerTransformer``."""

import json
import sys
import types
from typing import Any, Dict, List, Mapping, Union

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLWritable
from pyspark.ml.wrapper import JavaTransformer

from gliner_spark.settings import SETTINGS, read_by, transformer_defaults

JAVA_CLASS = "io.glinerspark.spark.ml.GlinerTransformer"
_JAVA_MODULE, _CLASS_NAME = JAVA_CLASS.rsplit(".", 1)

LabelThresholds = Union[Mapping[str, float], str]

_CONVERTERS = {
    "boolean": TypeConverters.toBoolean,
    "integer": TypeConverters.toInt,
    "number": TypeConverters.toFloat,
    "text": TypeConverters.toString,
    "list": TypeConverters.toListString,
}


def label_thresholds_spec(value: LabelThresholds) -> str:
    """``{"drug": 0.6}`` (or ``"drug=0.6"``) as the ``label=threshold,...`` text the JVM parameter holds; the JVM
    reads and checks it."""
    if isinstance(value, str):
        return value
    entries = []
    for label, threshold in value.items():
        if not isinstance(label, str) or "," in label:
            raise ValueError("labelThresholds: label %r must be a string without ','" % (label,))
        entries.append("%s=%r" % (label, float(threshold)))
    return ",".join(entries)


def label_descriptions_json(value: Union[Mapping[str, str], str]) -> str:
    """``{"drug": "a medication"}`` as the JSON object text the JVM parameter ``labelDescriptions`` holds; text is
    taken as it is. The JVM reads and checks it."""
    if isinstance(value, str):
        return value
    return json.dumps(dict(value), ensure_ascii=False)


#: The Transformer's settings in the registry's order; each is a parameter with a setter and a getter.
SETTING_NAMES: List[str] = [entry["name"] for entry in read_by("transformer")]


class GlinerTransformer(JavaTransformer, JavaMLReadable["GlinerTransformer"], JavaMLWritable):
    """Adds zero-shot named entities (GLiNER) for text columns, as the JVM ``GlinerTransformer`` does.

    Each entities column is ``array<struct<text:string,label:string,start:int,end:int,score:float>>`` (offsets in
    Unicode code points, ``end`` exclusive); input columns are kept. A NULL text gives NULL, an empty text an empty
    array. Labels are one list for every row (``labels``) or an ``array<string>`` column (``labelsCol``).

    Works in classic PySpark sessions (the jar on the session's classpath) and from Spark Connect clients (the jar
    on the server), inside a ``pyspark.ml.Pipeline``, saved with ``write().save(path)`` and loaded with
    :meth:`load` -- also by the JVM class, and the other way round.

    Example::

        gliner = GlinerTransformer(inputCol="text", outputCol="entities",
                                   labels=["person", "company", "city"], threshold=0.5,
                                   labelThresholds={"company": 0.7})
        gliner.transform(df)

    ``labelThresholds`` (a dict) is stored as ``labelThresholdsSpec`` ("label=threshold,..."): Spark Connect passes
    only scalar and array parameters. Every setting of the registry that the Transformer reads is a parameter of the
    same name, with ``set<Name>`` and ``get<Name>`` methods (see ``gliner_spark.settings``).
    """

    labels: "Param[List[str]]" = Param(Params._dummy(), "labels", "entity labels for every row, in plain words",
                                       typeConverter=TypeConverters.toListString)
    labelThresholdsSpec: "Param[str]" = Param(Params._dummy(), "labelThresholdsSpec",
                                              "per-label thresholds as 'label=threshold,...' that replace threshold "
                                              "for those labels (set with labelThresholds={'drug': 0.6})",
                                              typeConverter=TypeConverters.toString)

    #: The defaults of the JVM's settings registry (a test compares them with the JVM class's own); set in every
    #: new instance.
    DEFAULTS: Dict[str, Any] = transformer_defaults()

    _input_kwargs: Dict[str, Any]

    @keyword_only
    def __init__(self, **kwargs: Any) -> None:
        """Every parameter of the JVM transformer, by keyword (``labelThresholds`` a dict or ``label=threshold``
        text); unset ones keep the JVM's defaults."""
        super().__init__()
        self._java_obj = self._new_java_obj(JAVA_CLASS, self.uid)
        self._setDefault(**self.DEFAULTS)
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(self, **kwargs: Any) -> "GlinerTransformer":
        """Sets parameters by keyword (the same as the constructor's)."""
        kwargs = dict(self._input_kwargs)
        if "labelThresholds" in kwargs:
            if "labelThresholdsSpec" in kwargs:
                raise ValueError("set one of labelThresholds and labelThresholdsSpec, not both")
            kwargs["labelThresholdsSpec"] = label_thresholds_spec(kwargs.pop("labelThresholds"))
        if kwargs.get("labelDescriptions") is not None:
            kwargs["labelDescriptions"] = label_descriptions_json(kwargs["labelDescriptions"])
        unknown = sorted(set(kwargs) - {p.name for p in self.params})
        if unknown:
            raise TypeError("GlinerTransformer has no parameter %s" % ", ".join(unknown))
        return self._set(**kwargs)

    def setLabels(self, value: List[str]) -> "GlinerTransformer":
        """Sets the entity labels of every row."""
        return self._set(labels=value)

    def getLabels(self) -> List[str]:
        """The labels of every row."""
        return self.getOrDefault(self.labels)

    def setLabelThresholds(self, value: LabelThresholds) -> "GlinerTransformer":
        """Sets per-label thresholds, ``{"drug": 0.6}`` or ``"drug=0.6"``."""
        return self._set(labelThresholdsSpec=label_thresholds_spec(value))

    def setLabelDescriptions(self, value: Union[Mapping[str, str], str]) -> "GlinerTransformer":
        """Sets label descriptions, ``{"drug": "a medication"}`` or its JSON text: the prompt carries a label's
        description in its place, the entities keep the label."""
        return self._set(labelDescriptions=label_descriptions_json(value))

    def getLabelDescriptions(self) -> Dict[str, str]:
        """The label descriptions (empty when none are set)."""
        if not self.isDefined(self.labelDescriptions) or not self.getOrDefault(self.labelDescriptions).strip():
            return {}
        return dict(json.loads(self.getOrDefault(self.labelDescriptions)))

    def getLabelThresholds(self) -> Dict[str, float]:
        """The per-label thresholds (empty when none are set). The JVM checks them when the stage runs; this reads
        the text form without a JVM, so that it works on Spark Connect too: the last ``=`` of an entry separates
        its threshold, as in the JVM."""
        if not self.isDefined(self.labelThresholdsSpec):
            return {}
        thresholds = {}
        for entry in self.getOrDefault(self.labelThresholdsSpec).split(","):
            if entry.strip():
                label, _, threshold = entry.rpartition("=")
                thresholds[label.strip()] = float(threshold)
        return thresholds

    def _transfer_params_from_java(self) -> None:
        # A stage saved by the JVM may hold its per-label thresholds in the map parameter, which Python and Spark
        # Connect cannot carry: take them over as the text form, so both sides hold one setting.
        super()._transfer_params_from_java()
        java_param = self._java_obj.getParam("labelThresholds")
        if self._java_obj.isSet(java_param):
            thresholds = dict(self._java_obj.getOrDefault(java_param))
            self._java_obj.clear(java_param)
            if thresholds and not self.isSet(self.labelThresholdsSpec):
                self._set(labelThresholdsSpec=label_thresholds_spec(thresholds))


def _add_setting(name: str) -> None:
    """Adds the registry's setting ``name`` to the class: its parameter, ``set<Name>`` and ``get<Name>``."""
    entry = SETTINGS[name]
    setattr(GlinerTransformer, name, Param(Params._dummy(), name, entry["doc"],
                                           typeConverter=_CONVERTERS[entry["kind"]]))
    suffix = name[0].upper() + name[1:]

    def setter(self: GlinerTransformer, value: Any) -> GlinerTransformer:
        return self._set(**{name: value})

    def getter(self: GlinerTransformer) -> Any:
        return self.getOrDefault(name)

    setter.__name__, setter.__doc__ = "set" + suffix, "Sets %s: %s." % (name, entry["doc"])
    getter.__name__, getter.__doc__ = "get" + suffix, "The value of %s: %s." % (name, entry["doc"])
    if not hasattr(GlinerTransformer, setter.__name__):
        setattr(GlinerTransformer, setter.__name__, setter)
    if not hasattr(GlinerTransformer, getter.__name__):
        setattr(GlinerTransformer, getter.__name__, getter)


for _setting in SETTING_NAMES:
    if _setting != "labelThresholds":  # the map form; Python holds the same thresholds as labelThresholdsSpec
        _add_setting(_setting)


def _parameter_docs() -> str:
    lines = ["", "Parameters (keyword arguments of the constructor and of setParams):", ""]
    for name in sorted(vars(GlinerTransformer)):
        param = vars(GlinerTransformer)[name]
        if isinstance(param, Param):
            default = GlinerTransformer.DEFAULTS.get(name)
            lines.append("    %s: %s%s" % (name, param.doc, "" if default is None else " (default: %r)" % (default,)))
    lines.append("    labelThresholds: a dict {label: threshold}, stored as labelThresholdsSpec")
    return "\n".join(lines)


# help() shows class attributes shortened, so the parameters are listed in the class's docstring too
GlinerTransformer.__doc__ = (GlinerTransformer.__doc__ or "") + _parameter_docs()

# PySpark finds the Python class of a JVM stage (pipeline loading, Spark Connect reads and writes) by the JVM
# class's name; this module answers to that name, so the class is found wherever PySpark looks it up.
GlinerTransformer.__module__ = _JAVA_MODULE
for _name in (_JAVA_MODULE.rsplit(".", 1)[0], _JAVA_MODULE):
    sys.modules.setdefault(_name, types.ModuleType(_name))
setattr(sys.modules[_JAVA_MODULE], _CLASS_NAME, GlinerTransformer)
