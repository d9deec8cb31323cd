"""The OCR models' graphs doing the same arithmetic in fewer steps (their results agree to float rounding).

PP-OCRv4's detector and recogniser (PP-LCNet blocks) follow every convolution with a learnable affine
``x·a + b``, a hard-swish written as four operations ``x·clip(x + 3, 0, 6) / 6`` and a second affine
before the next convolution. onnxruntime fuses none of them: on one core they are a third of the
recogniser's time, and each breaks its blocked (NCHWc) convolutions' layout with a reorder. Here the
affines go into the neighbouring convolutions' weights and bias (a shift before a padded convolution
stays a step of its own, as a per-channel 1×1 convolution) and the hard-swish becomes ``x·HardSigmoid(x)``,
which onnxruntime does fuse (measured: ``bench/ocr_speed.py``, docs/benchmarks.md).

Every rule matches a pattern exactly (scalar float constants, outputs used once) and leaves anything
else as it is, so another model version is read unchanged where it differs.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import onnx
from onnx import GraphProto, NodeProto, helper, numpy_helper

#: The pieces of a hard-swish as PaddlePaddle exports it: x + 3, clipped to [0, 6], times x, over 6.
_SWISH_SHIFT, _SWISH_TOP = 3.0, 6.0


def lighter(model: bytes) -> bytes:
    """The ONNX model ``model`` with its convolutions' affines and hard-swishes folded (see the module)."""
    proto = onnx.load_from_string(model)
    _Folding(proto.graph).run()
    return bytes(proto.SerializeToString())


class _Folding:
    """One graph's rewrite: constants known by name, each output's readers, the nodes replaced."""

    def __init__(self, graph: GraphProto) -> None:
        self.graph = graph
        self.consts: dict[str, np.ndarray] = {}
        for node in graph.node:
            if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
                self.consts[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
        for tensor in graph.initializer:
            self.consts[tensor.name] = numpy_helper.to_array(tensor)
        self.readers: dict[str, list[NodeProto]] = defaultdict(list)
        for node in graph.node:
            for name in node.input:
                self.readers[name].append(node)
        self.outputs = {value.name for value in graph.output}
        self.dropped: set[int] = set()
        self.replaced: dict[int, list[NodeProto]] = {}
        self.renamed: dict[str, str] = {}
        self.new_consts: dict[str, np.ndarray] = {}

    def run(self) -> None:
        nodes = list(self.graph.node)
        for node in nodes:
            if node.op_type == "Conv":
                self._affine_after_conv(node)
        for node in nodes:
            if node.op_type == "Mul" and id(node) not in self.dropped:
                self._affine_before_conv(node)
        for node in nodes:
            if node.op_type == "Add" and id(node) not in self.dropped:
                self._hard_swish(node)
        self._write(nodes)

    # -- matching --------------------------------------------------------------------------------------

    def _sole_reader(self, name: str) -> NodeProto | None:
        readers = self.readers[name]
        return readers[0] if len(readers) == 1 and name not in self.outputs else None

    def _scalar(self, node: NodeProto | None, op: str) -> tuple[float, str] | None:
        """(c, x) where ``node`` is ``op`` of x and a float scalar constant c (for Div, x / c only)."""
        if node is None or node.op_type != op or len(node.input) != 2:
            return None
        first, second = node.input
        for const, other in ((second, first),) if op == "Div" else ((second, first), (first, second)):
            value = self.consts.get(const)
            if value is not None and value.dtype == np.float32 and value.size == 1 and other not in self.consts:
                return float(value.reshape(())), other
        return None

    def _weights(self, conv: NodeProto) -> tuple[np.ndarray, np.ndarray] | None:
        """A convolution's constant float weights and bias (zeros where it has none)."""
        inputs = list(conv.input)
        weights = self.consts.get(inputs[1])
        if weights is None or weights.dtype != np.float32:
            return None
        if len(inputs) > 2 and inputs[2]:
            bias = self.consts.get(inputs[2])
            if bias is None or bias.dtype != np.float32:
                return None
        else:
            bias = np.zeros(weights.shape[0], np.float32)
        return weights, bias

    def _const(self, name: str, value: np.ndarray) -> str:
        self.consts[name] = self.new_consts[name] = np.asarray(value, np.float32)
        return name

    def _set_conv(self, conv: NodeProto, source: str, weights: np.ndarray, bias: np.ndarray, tag: str) -> None:
        out = conv.output[0]
        inputs = [source, self._const(f"{out}.{tag}.w", weights), self._const(f"{out}.{tag}.b", bias)]
        del conv.input[:]
        conv.input.extend(inputs)

    # -- rules -----------------------------------------------------------------------------------------

    def _affine_after_conv(self, conv: NodeProto) -> None:
        """conv(x)·a + b is one convolution with its weights times a and its bias times a plus b."""
        found = self._weights(conv)
        mul = self._sole_reader(conv.output[0])
        scale = self._scalar(mul, "Mul")
        if found is None or mul is None or scale is None:
            return
        add = self._sole_reader(mul.output[0])
        shift = self._scalar(add, "Add")
        if add is None or shift is None or add.output[0] in self.outputs:
            return
        weights, bias = found
        (a, _), (b, _) = scale, shift
        self._set_conv(conv, conv.input[0], weights * a, bias * a + b, "in")
        self.dropped.update((id(mul), id(add)))
        self.renamed[add.output[0]] = conv.output[0]

    def _affine_before_conv(self, mul: NodeProto) -> None:
        """conv(x·c + d) is conv with its weights times c of x + d/c, exact with zero padding too; a
        convolution that pads nothing takes d into its bias (d times each output's weights' sum)."""
        scale = self._scalar(mul, "Mul")
        add = self._sole_reader(mul.output[0])
        shift = self._scalar(add, "Add")
        if scale is None or add is None or shift is None:
            return
        conv = self._sole_reader(add.output[0])
        if conv is None or conv.op_type != "Conv" or conv.input[0] != add.output[0]:
            return
        found = self._weights(conv)
        (c, x), (d, _) = scale, shift
        if found is None or c == 0:
            return
        weights, bias = found
        if not _pads(conv):
            bias = bias + d * weights.reshape(weights.shape[0], -1).sum(axis=1)
            source = x
            self.dropped.update((id(mul), id(add)))
        else:
            # the shift as a per-channel 1×1 convolution: onnxruntime keeps it in its blocked layout, where
            # an Add of a scalar leaves it (a reorder each way, 14% of the recogniser's time)
            channels = weights.shape[1] * _group(conv)
            ones = self._const(f"{add.output[0]}.ones", np.ones((channels, 1, 1, 1), np.float32))
            shifted = self._const(f"{add.output[0]}.shift", np.full(channels, d / c, np.float32))
            self.replaced[id(mul)] = [
                helper.make_node("Conv", [x, ones, shifted], [add.output[0]], group=channels, kernel_shape=[1, 1])
            ]
            self.dropped.add(id(add))
            source = add.output[0]
        self._set_conv(conv, source, weights * c, bias, "out")

    def _hard_swish(self, add: NodeProto) -> None:
        """x·clip(x + 3, 0, 6) / 6 is x·HardSigmoid(x) with alpha 1/6 and beta 1/2."""
        shift = self._scalar(add, "Add")
        if shift is None or shift[0] != _SWISH_SHIFT:
            return
        x = shift[1]
        clip = self._sole_reader(add.output[0])
        if clip is None or clip.op_type != "Clip" or len(clip.input) != 3:
            return
        bounds = [self.consts.get(name) for name in clip.input[1:]]
        if [float(b.reshape(())) if b is not None and b.size == 1 else None for b in bounds] != [0.0, _SWISH_TOP]:
            return
        mul = self._sole_reader(clip.output[0])
        if mul is None or mul.op_type != "Mul" or sorted(mul.input) != sorted([x, clip.output[0]]):
            return
        div = self._sole_reader(mul.output[0])
        over = self._scalar(div, "Div")
        if div is None or over is None or over[0] != _SWISH_TOP:
            return
        gate = f"{div.output[0]}.gate"
        self.replaced[id(add)] = [
            helper.make_node("HardSigmoid", [x], [gate], alpha=1 / _SWISH_TOP, beta=0.5),
            helper.make_node("Mul", [x, gate], [div.output[0]]),
        ]
        self.dropped.update((id(clip), id(mul), id(div)))

    # -- writing ---------------------------------------------------------------------------------------

    def _write(self, nodes: list[NodeProto]) -> None:
        kept: list[NodeProto] = []
        for node in nodes:
            if id(node) in self.replaced:
                kept.extend(self.replaced[id(node)])
            elif id(node) not in self.dropped:
                kept.append(node)
        for node in kept:
            for k, name in enumerate(node.input):
                node.input[k] = self.renamed.get(name, name)
        used = {name for node in kept for name in node.input} | self.outputs
        kept = [node for node in kept if node.op_type != "Constant" or node.output[0] in used]
        graph = self.graph
        del graph.node[:]
        graph.node.extend(kept)
        old = [tensor for tensor in graph.initializer if tensor.name in used]
        del graph.initializer[:]
        graph.initializer.extend(old)
        graph.initializer.extend(
            numpy_helper.from_array(value, name) for name, value in self.new_consts.items() if name in used
        )


def _pads(conv: NodeProto) -> bool:
    """Whether the convolution pads its input (explicitly or by ``auto_pad``)."""
    for attribute in conv.attribute:
        if attribute.name == "pads" and any(attribute.ints):
            return True
        if attribute.name == "auto_pad" and attribute.s not in (b"", b"NOTSET", b"VALID"):
            return True
    return False


def _group(conv: NodeProto) -> int:
    """How many groups the convolution's channels are split into (1 unless said)."""
    return next((int(a.i) for a in conv.attribute if a.name == "group"), 1)
