"""The OCR models folded (parsers/ocrgraph.py) compute what the shipped ones do: on a real printed page
the same boxes and texts, on any input the same outputs to float rounding, at a padded convolution's
borders too; a graph the rules do not match is left as it is."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from parsers.ocrgraph import lighter

ort = pytest.importorskip("onnxruntime")
rapidocr = pytest.importorskip("rapidocr_onnxruntime", reason="OpenCV needs libGL; .ci/run installs it")

MODELS = Path(rapidocr.__file__).parent / "models"
HUAIAN = Path(__file__).parents[2] / ".." / "shared" / "real" / "real_02_huaian_szf_2024.pdf"


def _session(model: bytes) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 4
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _ops(model: bytes) -> Counter[str]:
    return Counter(node.op_type for node in onnx.load_from_string(model).graph.node)


@pytest.mark.parametrize(
    ("name", "shape"),
    [("ch_PP-OCRv4_rec_infer.onnx", (2, 3, 48, 320)), ("ch_PP-OCRv4_det_infer.onnx", (1, 3, 320, 256))],
)
def test_the_shipped_models_folded_give_their_outputs_in_fewer_steps(name, shape):
    model = (MODELS / name).read_bytes()
    folded = lighter(model)
    before, after = _ops(model), _ops(folded)
    # every hard-swish folded (a Clip and a Div each; the recogniser's layer norms keep theirs), and the
    # affines around them: a third of the steps or more
    assert before["Clip"] >= 24 and after["Clip"] == 0 and after["Div"] == before["Div"] - before["Clip"]
    assert sum(after.values()) < 0.7 * sum(before.values())
    x = np.random.default_rng(7).uniform(-1, 1, shape).astype(np.float32)
    plain, light = _session(model), _session(folded)
    feed = {plain.get_inputs()[0].name: x}
    want, got = plain.run(None, feed)[0], light.run(None, feed)[0]
    assert got.shape == want.shape
    assert np.abs(got - want).max() < 1e-4
    # the recogniser's character list travels in the model's metadata
    assert light.get_modelmeta().custom_metadata_map == plain.get_modelmeta().custom_metadata_map


@pytest.mark.skipif(not HUAIAN.exists(), reason="../shared/real is beside the checkout in CI")
def test_the_parsers_engine_reads_a_real_page_as_the_shipped_models_do(monkeypatch):
    import pymupdf

    from parsers import ocrdoc

    page = pymupdf.open(HUAIAN)[2].get_pixmap(dpi=150, colorspace=pymupdf.csRGB, alpha=False)
    image = np.frombuffer(page.samples, dtype=np.uint8).reshape(page.h, page.w, 3)
    from parsers import ocrgraph

    folded: list[int] = []

    def counted(model: bytes) -> bytes:
        folded.append(len(model))
        return lighter(model)

    ocrdoc._engine.cache_clear()
    monkeypatch.setattr(ocrgraph, "lighter", counted)
    try:
        engine = ocrdoc._engine()
    finally:
        ocrdoc._engine.cache_clear()  # the next test's engine is made as the parser makes it
    assert len(folded) == 2  # the detector and the recogniser both run folded
    assert engine.text_rec.session.session.get_modelmeta().custom_metadata_map  # its characters
    folded_result, _ = engine(image)
    batch = engine.text_rec.rec_batch_num  # crops a run: a batch's padding moves the scores a little
    shipped = rapidocr.RapidOCR(use_cls=False, intra_op_num_threads=1, inter_op_num_threads=1, rec_batch_num=batch)
    shipped_result, _ = shipped(image)
    assert len(folded_result) > 20  # a page of the report's table 3 and its prose
    assert [text for _, text, _ in folded_result] == [text for _, text, _ in shipped_result]
    assert np.allclose([box for box, _, _ in folded_result], [box for box, _, _ in shipped_result], atol=1)
    assert np.allclose([float(s) for _, _, s in folded_result], [float(s) for _, _, s in shipped_result], atol=1e-3)


def _block(shape: tuple[int, int, int, int], pad_depthwise: bool) -> bytes:
    """conv → ·a + b → hard-swish → ·c + d → depthwise 3×3 conv → ·a + b → hard-swish → ·c + d → 1×1 conv,
    PaddlePaddle's spelling, random weights."""
    rng = np.random.default_rng(3)
    channels = shape[1]
    nodes, inits = [], []

    def const(name: str, value) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value, np.float32), name))
        return name

    def affine(x: str, tag: str) -> str:
        nodes.append(helper.make_node("Mul", [const(f"{tag}a", [rng.uniform(0.5, 2)]), x], [f"{tag}m"]))
        nodes.append(helper.make_node("Add", [f"{tag}m", const(f"{tag}b", [rng.uniform(-1, 1)])], [f"{tag}o"]))
        return f"{tag}o"

    def swish(x: str, tag: str) -> str:
        nodes.append(helper.make_node("Add", [x, const(f"{tag}3", [3.0])], [f"{tag}s"]))
        nodes.append(helper.make_node("Clip", [f"{tag}s", const(f"{tag}0", 0.0), const(f"{tag}6", 6.0)], [f"{tag}c"]))
        nodes.append(helper.make_node("Mul", [x, f"{tag}c"], [f"{tag}p"]))
        nodes.append(helper.make_node("Div", [f"{tag}p", const(f"{tag}d", [6.0])], [f"{tag}h"]))
        return f"{tag}h"

    def conv(x: str, tag: str, weights: np.ndarray, **attrs) -> str:
        bias = const(f"{tag}B", rng.normal(size=weights.shape[0]))
        nodes.append(helper.make_node("Conv", [x, const(f"{tag}W", weights), bias], [f"{tag}y"], **attrs))
        return f"{tag}y"

    x = conv("x", "c1", rng.normal(size=(channels, channels, 1, 1)))
    x = affine(swish(affine(x, "p"), "s1"), "q")
    pads = [1, 1, 1, 1] if pad_depthwise else [0, 0, 0, 0]
    x = conv(x, "c2", rng.normal(size=(channels, 1, 3, 3)), group=channels, pads=pads, kernel_shape=[3, 3])
    x = affine(swish(affine(x, "r"), "s2"), "t")
    conv(x, "c3", rng.normal(size=(channels, channels, 1, 1)))
    out_side = shape[2] - (0 if pad_depthwise else 2)
    graph = helper.make_graph(
        nodes,
        "block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))],
        [helper.make_tensor_value_info("c3y", TensorProto.FLOAT, [shape[0], channels, out_side, out_side])],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)]).SerializeToString()


@pytest.mark.parametrize("pad_depthwise", [True, False])
def test_a_block_folded_agrees_everywhere_with_its_padded_borders(pad_depthwise):
    model = _block((2, 4, 9, 9), pad_depthwise)
    folded = lighter(model)
    onnx.checker.check_model(onnx.load_from_string(folded))
    after = _ops(folded)
    assert after["Clip"] == after["Div"] == 0 and after["HardSigmoid"] == 2
    # the shift before the padded 3×3 conv stays a step of its own (a 1×1 per-channel conv): in its bias it
    # would be added at the padded border too
    assert after["Conv"] == (4 if pad_depthwise else 3)
    x = np.random.default_rng(5).normal(size=(2, 4, 9, 9)).astype(np.float32) * 3
    want = _session(model).run(None, {"x": x})[0]
    got = _session(folded).run(None, {"x": x})[0]
    assert np.abs(got - want).max() < 1e-4 * max(1.0, float(np.abs(want).max()))


def test_a_graph_the_rules_do_not_match_is_left_as_it_is():
    rng = np.random.default_rng(1)
    consts = {
        "W": rng.normal(size=(2, 2, 1, 1)),
        **{name: [value] for name, value in (("two", 2.0), ("three", 3.0), ("six", 6.0), ("zero", 0.0))},
    }
    nodes = [
        helper.make_node("Conv", ["x", "W"], ["y"]),
        helper.make_node("Mul", ["y", "two"], ["m"]),  # the conv's output is read twice: no affine of its own
        helper.make_node("Add", ["m", "three"], ["s"]),
        helper.make_node("Clip", ["s", "zero", "six"], ["c"]),
        helper.make_node("Mul", ["m", "c"], ["p"]),
        helper.make_node("Div", ["six", "p"], ["q"]),  # 6 / p: no hard-swish's division
        helper.make_node("Add", ["q", "y"], ["z"]),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 3])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 2, 3, 3])],
        [numpy_helper.from_array(np.asarray(v, np.float32).reshape(np.shape(v)), k) for k, v in consts.items()],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)]).SerializeToString()
    folded = lighter(model)
    assert [node.op_type for node in onnx.load_from_string(folded).graph.node] == [n.op_type for n in nodes]
    x = rng.normal(size=(1, 2, 3, 3)).astype(np.float32)
    assert np.array_equal(_session(model).run(None, {"x": x})[0], _session(folded).run(None, {"x": x})[0])
    # a convolution's affine whose sum is the graph's output keeps its step: its name is the model's answer
    tail = helper.make_graph(
        [
            helper.make_node("Conv", ["x", "W"], ["y"]),
            helper.make_node("Mul", ["y", "two"], ["m"]),
            helper.make_node("Add", ["m", "three"], ["z"]),
        ],
        "tail",
        graph.input,
        graph.output,
        graph.initializer,
    )
    model = helper.make_model(tail, opset_imports=[helper.make_opsetid("", 12)]).SerializeToString()
    assert np.allclose(_session(model).run(None, {"x": x})[0], _session(lighter(model)).run(None, {"x": x})[0])
