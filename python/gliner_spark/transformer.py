"""``GlinerTransformer``: the ``pyspark.ml`` wrapper of the JVM ``io.glinerspark.spark.ml.GlinerTransformer``."""

import sys
import types
from typing import Any, Dict, List, Mapping, Optional, Union

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLWritable
from pyspark.ml.wrapper import JavaTransformer

from gliner_spark.settings import SETTINGS, transformer_defaults

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


def _setting_param(name: str) -> Param:
    """The parameter of the registry's setting ``name``: its name, doc and type as the JVM class has them."""
    entry = SETTINGS[name]
    return Param(Params._dummy(), name, entry["doc"], typeConverter=_CONVERTERS[entry["kind"]])


def label_thresholds_spec(value: LabelThresholds) -> str:
    """``{"drug": 0.6}`` (or ``"drug=0.6"``) as the ``label=threshold,...`` text the JVM parameter holds."""
    if isinstance(value, str):
        return value
    entries = []
    for label, threshold in value.items():
        if not isinstance(label, str) or "," in label:
            raise ValueError("labelThresholds: label %r must be a string without ','" % (label,))
        entries.append("%s=%r" % (label, float(threshold)))
    return ",".join(entries)


def parse_label_thresholds(spec: str) -> Dict[str, float]:
    """The inverse of :func:`label_thresholds_spec` (the last ``=`` of an entry separates its threshold)."""
    thresholds: Dict[str, float] = {}
    for entry in spec.split(","):
        if entry.strip():
            label, _, threshold = entry.rpartition("=")
            thresholds[label.strip()] = float(threshold)
    return thresholds


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
    only scalar and array parameters.
    """

    inputCol: "Param[str]" = _setting_param("inputCol")
    inputCols: "Param[List[str]]" = _setting_param("inputCols")
    outputCol: "Param[str]" = _setting_param("outputCol")
    outputCols: "Param[List[str]]" = _setting_param("outputCols")
    labels: "Param[List[str]]" = Param(Params._dummy(), "labels", "entity labels for every row, in plain words",
                                       typeConverter=TypeConverters.toListString)
    labelsCol: "Param[str]" = _setting_param("labelsCol")
    errorCol: "Param[str]" = _setting_param("errorCol")
    threshold: "Param[float]" = _setting_param("threshold")
    labelThresholdsSpec: "Param[str]" = Param(Params._dummy(), "labelThresholdsSpec",
                                              "per-label thresholds as 'label=threshold,...' that replace threshold "
                                              "for those labels (set with labelThresholds={'drug': 0.6})",
                                              typeConverter=TypeConverters.toString)
    flatNer: "Param[bool]" = _setting_param("flatNer")
    multiLabel: "Param[bool]" = _setting_param("multiLabel")
    longText: "Param[str]" = _setting_param("longText")
    windowOverlap: "Param[int]" = _setting_param("windowOverlap")
    tokenScore: "Param[str]" = _setting_param("tokenScore")
    model: "Param[str]" = _setting_param("model")
    onnxFile: "Param[str]" = _setting_param("onnxFile")
    device: "Param[str]" = _setting_param("device")
    requireDevice: "Param[bool]" = _setting_param("requireDevice")
    batchWords: "Param[int]" = _setting_param("batchWords")
    batchTokens: "Param[int]" = _setting_param("batchTokens")
    intraOpThreads: "Param[int]" = _setting_param("intraOpThreads")
    rowsPerBlock: "Param[int]" = _setting_param("rowsPerBlock")

    #: The defaults of the JVM's settings registry (a test compares them with the JVM class's own); set in every
    #: new instance.
    DEFAULTS: Dict[str, Any] = transformer_defaults()

    _input_kwargs: Dict[str, Any]

    @keyword_only
    def __init__(
        self,
        *,
        inputCol: Optional[str] = None,
        inputCols: Optional[List[str]] = None,
        outputCol: Optional[str] = None,
        outputCols: Optional[List[str]] = None,
        labels: Optional[List[str]] = None,
        labelsCol: Optional[str] = None,
        errorCol: Optional[str] = None,
        threshold: Optional[float] = None,
        labelThresholds: Optional[LabelThresholds] = None,
        labelThresholdsSpec: Optional[str] = None,
        flatNer: Optional[bool] = None,
        multiLabel: Optional[bool] = None,
        longText: Optional[str] = None,
        windowOverlap: Optional[int] = None,
        tokenScore: Optional[str] = None,
        model: Optional[str] = None,
        onnxFile: Optional[str] = None,
        device: Optional[str] = None,
        requireDevice: Optional[bool] = None,
        batchWords: Optional[int] = None,
        batchTokens: Optional[int] = None,
        intraOpThreads: Optional[int] = None,
        rowsPerBlock: Optional[int] = None,
    ) -> None:
        """Every parameter of the JVM transformer, by keyword; unset ones keep the JVM's defaults."""
        super().__init__()
        self._java_obj = self._new_java_obj(JAVA_CLASS, self.uid)
        self._setDefault(**self.DEFAULTS)
        self.setParams(**self._input_kwargs)

    @keyword_only
    def setParams(
        self,
        *,
        inputCol: Optional[str] = None,
        inputCols: Optional[List[str]] = None,
        outputCol: Optional[str] = None,
        outputCols: Optional[List[str]] = None,
        labels: Optional[List[str]] = None,
        labelsCol: Optional[str] = None,
        errorCol: Optional[str] = None,
        threshold: Optional[float] = None,
        labelThresholds: Optional[LabelThresholds] = None,
        labelThresholdsSpec: Optional[str] = None,
        flatNer: Optional[bool] = None,
        multiLabel: Optional[bool] = None,
        longText: Optional[str] = None,
        windowOverlap: Optional[int] = None,
        tokenScore: Optional[str] = None,
        model: Optional[str] = None,
        onnxFile: Optional[str] = None,
        device: Optional[str] = None,
        requireDevice: Optional[bool] = None,
        batchWords: Optional[int] = None,
        batchTokens: Optional[int] = None,
        intraOpThreads: Optional[int] = None,
        rowsPerBlock: Optional[int] = None,
    ) -> "GlinerTransformer":
        """Sets parameters by keyword (the same as the constructor's)."""
        kwargs = dict(self._input_kwargs)
        if "labelThresholds" in kwargs:
            if "labelThresholdsSpec" in kwargs:
                raise ValueError("set one of labelThresholds and labelThresholdsSpec, not both")
            kwargs["labelThresholdsSpec"] = label_thresholds_spec(kwargs.pop("labelThresholds"))
        return self._set(**kwargs)

    def setInputCol(self, value: str) -> "GlinerTransformer":
        """Sets the text column."""
        return self._set(inputCol=value)

    def setInputCols(self, value: List[str]) -> "GlinerTransformer":
        """Sets several text columns (with :meth:`setOutputCols`)."""
        return self._set(inputCols=value)

    def setOutputCol(self, value: str) -> "GlinerTransformer":
        """Sets the entities column."""
        return self._set(outputCol=value)

    def setOutputCols(self, value: List[str]) -> "GlinerTransformer":
        """Sets one entities column per text column."""
        return self._set(outputCols=value)

    def setLabels(self, value: List[str]) -> "GlinerTransformer":
        """Sets the entity labels of every row."""
        return self._set(labels=value)

    def setLabelsCol(self, value: str) -> "GlinerTransformer":
        """Sets the ``array<string>`` column with each row's labels."""
        return self._set(labelsCol=value)

    def setErrorCol(self, value: str) -> "GlinerTransformer":
        """Sets the column that receives the error of a row that cannot be extracted."""
        return self._set(errorCol=value)

    def setThreshold(self, value: float) -> "GlinerTransformer":
        """Sets the probability threshold."""
        return self._set(threshold=value)

    def setLabelThresholds(self, value: LabelThresholds) -> "GlinerTransformer":
        """Sets per-label thresholds, ``{"drug": 0.6}`` or ``"drug=0.6"``."""
        return self._set(labelThresholdsSpec=label_thresholds_spec(value))

    def setFlatNer(self, value: bool) -> "GlinerTransformer":
        """Sets whether entities never overlap."""
        return self._set(flatNer=value)

    def setMultiLabel(self, value: bool) -> "GlinerTransformer":
        """Sets whether one span may carry several labels."""
        return self._set(multiLabel=value)

    def setLongText(self, value: str) -> "GlinerTransformer":
        """Sets the policy for long texts: chunk, truncate or fail."""
        return self._set(longText=value)

    def setWindowOverlap(self, value: int) -> "GlinerTransformer":
        """Sets the words shared by neighbouring windows."""
        return self._set(windowOverlap=value)

    def setTokenScore(self, value: str) -> "GlinerTransformer":
        """Sets the span score of token-level models: min or mean."""
        return self._set(tokenScore=value)

    def setModel(self, value: str) -> "GlinerTransformer":
        """Sets the model source."""
        return self._set(model=value)

    def setOnnxFile(self, value: str) -> "GlinerTransformer":
        """Sets the ONNX file of the model bundle."""
        return self._set(onnxFile=value)

    def setDevice(self, value: str) -> "GlinerTransformer":
        """Sets the execution device: auto, cpu, cuda or cuda:N."""
        return self._set(device=value)

    def setRequireDevice(self, value: bool) -> "GlinerTransformer":
        """Sets whether an unusable device is an error instead of a fallback to CPU."""
        return self._set(requireDevice=value)

    def setBatchWords(self, value: int) -> "GlinerTransformer":
        """Sets the batch budget in padded words x max span width."""
        return self._set(batchWords=value)

    def setBatchTokens(self, value: int) -> "GlinerTransformer":
        """Sets the batch budget in padded sub-tokens."""
        return self._set(batchTokens=value)

    def setIntraOpThreads(self, value: int) -> "GlinerTransformer":
        """Sets the ONNX Runtime threads per model."""
        return self._set(intraOpThreads=value)

    def setRowsPerBlock(self, value: int) -> "GlinerTransformer":
        """Sets the rows a task reads before extracting them."""
        return self._set(rowsPerBlock=value)

    def getLabels(self) -> List[str]:
        """The labels of every row."""
        return self.getOrDefault(self.labels)

    def getThreshold(self) -> float:
        """The probability threshold."""
        return self.getOrDefault(self.threshold)

    def getLabelThresholds(self) -> Dict[str, float]:
        """The per-label thresholds (empty when none are set)."""
        if not self.isDefined(self.labelThresholdsSpec):
            return {}
        return parse_label_thresholds(self.getOrDefault(self.labelThresholdsSpec))

    def getModel(self) -> str:
        """The model source."""
        return self.getOrDefault(self.model)

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
