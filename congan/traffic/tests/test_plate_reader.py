"""Reading plates from images: Tesseract on rendered plate crops, an operator's ONNX model (a tiny
one built here), the errors an operator or a camera can cause, and the choice by settings."""

from __future__ import annotations

import io
import logging
import math
import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from PIL import Image, ImageDraw, ImageFont

from congan.traffic.plate_reader import (
    DEFAULT_ALPHABET,
    NoPlateReader,
    OnnxPlateReader,
    PlateImageInvalid,
    PlateReaderUnavailable,
    TesseractPlateReader,
    plate_reader_from_settings,
)

FONT = Path(__file__).resolve().parents[2] / "core/fonts/DejaVuSerif-Bold.ttf"
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Debian's tesseract-ocr is not installed (make ocr-deps installs it)"
)


Colour = str | tuple[int, int, int]


def plate_image(
    lines: list[str],
    *,
    background: Colour = "white",
    ink: Colour = "black",
    size: int = 40,
    fmt: str = "PNG",
    resize: tuple[int, int] | None = None,
) -> bytes:
    """A plate crop as a camera would cut it: centred text lines inside a thin frame."""
    font = ImageFont.truetype(str(FONT), size)
    pad, line_height = 12, size + 8
    width = max(font.getbbox(line)[2] for line in lines) + 2 * pad
    height = line_height * len(lines) + 2 * pad
    picture = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(picture)
    for number, line in enumerate(lines):
        draw.text(((width - font.getbbox(line)[2]) // 2, pad + number * line_height), line, fill=ink, font=font)
    draw.rectangle([3, 3, width - 4, height - 4], outline=ink, width=3)
    if resize:
        picture = picture.resize(resize, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    return buffer.getvalue()


def blank_image(colour: str = "white", size: tuple[int, int] = (220, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def fake_tesseract(tmp_path: Path, body: str) -> str:
    """A stand-in binary that lists English and then does ``body`` when asked to read."""
    script = tmp_path / "tesseract"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "--list-langs" ]; then echo "List:"; echo eng; exit 0; fi\n{body}\n')
    script.chmod(0o755)
    return str(script)


# --- Tesseract ---------------------------------------------------------------------------------


PLATES = [
    pytest.param(plate_image(["43A-123.45"]), "43A12345", id="car"),
    pytest.param(plate_image(["43A12345"], fmt="JPEG"), "43A12345", id="car-jpeg-no-separators"),
    pytest.param(plate_image(["29-B1", "123.45"]), "29B112345", id="motorbike-two-lines"),
    pytest.param(plate_image(["80A-012.34"], background=(20, 60, 160), ink="white"), "80A01234", id="blue-plate"),
    pytest.param(plate_image(["43H-123.45"], background=(240, 200, 40)), "43H12345", id="yellow-plate"),
    # Crops this small are misread, or read with low confidence, unless enlarged and thresholded first.
    pytest.param(plate_image(["43A-123.45"], resize=(120, 25)), "43A12345", id="small-car-crop"),
    pytest.param(plate_image(["29-B1", "123.45"], resize=(50, 40)), "29B112345", id="small-motorbike-crop"),
    pytest.param(
        plate_image(["43A-123.45"], background="#969696", ink="#6e6e6e", resize=(150, 30)),
        "43A12345",
        id="small-low-contrast-crop",
    ),
]


@needs_tesseract
@pytest.mark.parametrize(("image", "canonical"), PLATES)
def test_tesseract_reads_a_rendered_plate_to_its_canonical_form(image, canonical):
    reading = TesseractPlateReader().read(image)

    assert reading is not None
    assert reading.text == canonical
    assert reading.engine == "tesseract"
    assert 0.5 < reading.confidence <= 1


@needs_tesseract
def test_tesseract_keeps_the_text_as_read_beside_the_canonical_plate():
    reading = TesseractPlateReader().read(plate_image(["29-B1", "123.45"]))

    assert reading is not None
    assert reading.raw == "29-B1 123.45"


@needs_tesseract
def test_tesseract_reads_nothing_on_an_image_without_text():
    assert TesseractPlateReader().read(blank_image()) is None
    assert TesseractPlateReader().read(blank_image("black")) is None


@needs_tesseract
def test_tesseract_text_that_is_no_plate_reads_as_nothing():
    # Read fine, but "12345" has no province code and no series, and 44 is no province's code.
    assert TesseractPlateReader().read(plate_image(["12345"])) is None
    assert TesseractPlateReader().read(plate_image(["44A-123.45"])) is None


GARBAGE = [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a" + b"\x00" * 40]


@needs_tesseract
@pytest.mark.parametrize("data", GARBAGE, ids=["empty", "text", "truncated-png", "gif"])
def test_garbage_bytes_are_refused_as_an_invalid_plate_image(data):
    with pytest.raises(PlateImageInvalid) as error:
        TesseractPlateReader().read(data)

    assert error.value.status == 422
    assert error.value.code == "plate_image_invalid"
    assert error.value.details["image"] == ["Không đọc được ảnh biển số: cần ảnh JPEG hoặc PNG."]


def test_a_missing_tesseract_binary_is_a_clear_configuration_error():
    with pytest.raises(PlateReaderUnavailable, match=r"no 'tesseract-missing' binary.*apt-get install tesseract-ocr"):
        TesseractPlateReader(binary="tesseract-missing")


def test_tesseract_without_the_language_data_is_a_clear_configuration_error(tmp_path):
    binary = fake_tesseract(tmp_path, "exit 0")

    with pytest.raises(PlateReaderUnavailable, match=r"no 'vie' language data.*tesseract-ocr-vie"):
        TesseractPlateReader(binary=binary, language="vie")


def test_a_tesseract_run_past_its_timeout_reads_as_nothing_and_is_logged(tmp_path, caplog):
    reader = TesseractPlateReader(binary=fake_tesseract(tmp_path, "exec sleep 5"), timeout=0.3)

    with caplog.at_level(logging.WARNING, logger="congan.traffic.plate_reader"):
        assert reader.read(plate_image(["43A-123.45"])) is None

    assert "longer than 0.3s" in caplog.text


def test_a_failing_tesseract_run_reads_as_nothing_and_logs_its_error(tmp_path, caplog):
    reader = TesseractPlateReader(binary=fake_tesseract(tmp_path, "echo 'Error in pixReadMem' >&2; exit 1"))

    with caplog.at_level(logging.WARNING, logger="congan.traffic.plate_reader"):
        assert reader.read(plate_image(["43A-123.45"])) is None

    assert "exit 1" in caplog.text
    assert "Error in pixReadMem" in caplog.text


# --- ONNX --------------------------------------------------------------------------------------

BLANK = None
STRONG, WEAK = 5.0, 2.0  # logit of the emitting step's class; of a repeated step (collapsed, not counted)
# "43A-112.34": repeats collapse, a blank separates the two 1s.
WHITE_STEPS = ["4", ("4", WEAK), BLANK, "3", "A", "-", "1", BLANK, "1", ("1", WEAK), "2", ".", "3", "4", BLANK]
# "29-B1123.45" (motorbike, 29-B1 123.45), padded with blanks to the same length.
BLACK_STEPS = [BLANK, "2", "9", "-", "B", "1", BLANK, "1", "2", "3", ".", "4", "5", BLANK, BLANK]


def step_logits(steps: list, alphabet: str) -> np.ndarray:
    """T×C logits: each step's class STRONG (or the given weight), every other class 0."""
    logits = np.zeros((len(steps), len(alphabet) + 1), dtype=np.float32)
    for step, item in enumerate(steps):
        character, weight = item if isinstance(item, tuple) else (item, STRONG)
        logits[step, 0 if character is None else alphabet.index(character) + 1] = weight
    return logits


def build_model(
    path: Path,
    *,
    alphabet: str = DEFAULT_ALPHABET,
    layout: str = "NTC",
    metadata: dict | None = None,
    input_shape: list | None = None,
    classes: int | None = None,
) -> Path:
    """A model keeping the contract whose output depends on the image: logits = m·W + (1 − m)·B, with
    m the image's mean brightness, so a white crop reads WHITE_STEPS and a black one BLACK_STEPS."""
    white = step_logits(WHITE_STEPS, alphabet)[np.newaxis]  # 1×T×C
    black = step_logits(BLACK_STEPS, alphabet)[np.newaxis]
    if classes is not None:
        white, black = white[:, :, :classes], black[:, :, :classes]
    if layout == "TNC":
        white, black = white.transpose(1, 0, 2), black.transpose(1, 0, 2)
    input_shape = input_shape or ["N", 1, 32, 128]
    steps, width = white.shape[1] if layout == "NTC" else white.shape[0], white.shape[2]
    output_shape = ["N", steps, width] if layout == "NTC" else [steps, "N", width]
    nodes = [
        helper.make_node("ReduceMean", ["image"], ["mean"], axes=list(range(1, len(input_shape))), keepdims=0),
        helper.make_node("Reshape", ["mean", "shape"], ["m"]),
        helper.make_node("Sub", ["one", "m"], ["not_m"]),
        helper.make_node("Mul", ["m", "white"], ["lit"]),
        helper.make_node("Mul", ["not_m", "black"], ["dark"]),
        helper.make_node("Add", ["lit", "dark"], ["logits"]),
    ]
    initialisers = [
        numpy_helper.from_array(np.array([-1, 1, 1] if layout == "NTC" else [1, -1, 1], dtype=np.int64), "shape"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
        numpy_helper.from_array(white, "white"),
        numpy_helper.from_array(black, "black"),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-plate-ocr",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, input_shape)],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, output_shape)],
        initialisers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    if metadata:
        helper.set_model_props(model, metadata)
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


def softmax_max(logit: float, classes: int) -> float:
    return math.exp(logit) / (math.exp(logit) + classes - 1)


def test_onnx_model_reads_a_plate_from_the_image_it_is_given(tmp_path):
    reader = OnnxPlateReader(build_model(tmp_path / "plate.onnx"))

    white = reader.read(blank_image("white"))
    black = reader.read(blank_image("black"))

    assert white is not None and black is not None
    assert (white.text, white.raw, white.engine) == ("43A11234", "43A-112.34", "onnx")
    assert (black.text, black.raw) == ("29B112345", "29-B1123.45")
    # Only the steps that emit a character count; the WEAK repeats collapsed into them do not.
    assert white.confidence == pytest.approx(softmax_max(STRONG, len(DEFAULT_ALPHABET) + 1), abs=1e-5)
    assert black.confidence == pytest.approx(softmax_max(STRONG, len(DEFAULT_ALPHABET) + 1), abs=1e-5)


def test_onnx_input_size_comes_from_the_model_or_defaults_to_32_by_128(tmp_path):
    fixed = OnnxPlateReader(build_model(tmp_path / "fixed.onnx", input_shape=[1, 1, 48, 160]))
    dynamic = OnnxPlateReader(build_model(tmp_path / "dynamic.onnx", input_shape=["N", 1, "H", "W"]))

    assert (fixed.height, fixed.width) == (48, 160)
    assert (dynamic.height, dynamic.width) == (32, 128)
    assert fixed.read(blank_image("white", (300, 70))).text == "43A11234"
    assert dynamic.read(blank_image("white", (300, 70))).text == "43A11234"


def test_onnx_time_major_output_and_alphabet_from_metadata_decode_the_same_plate(tmp_path):
    alphabet = ".-ZYXVUTSRPNMLKHGFEDCBA9876543210"  # the default reversed: read from the model, not assumed
    model = build_model(tmp_path / "tnc.onnx", alphabet=alphabet, layout="TNC", metadata={"alphabet": alphabet})

    reading = OnnxPlateReader(model).read(blank_image("white"))

    assert reading is not None
    assert reading.text == "43A11234"


def test_onnx_alphabet_given_to_the_loader_wins_over_the_default(tmp_path):
    alphabet = "ABCDEFGHKLMNPRSTUVXYZ0123456789.-"
    model = build_model(tmp_path / "letters-first.onnx", alphabet=alphabet)

    assert OnnxPlateReader(model).read(blank_image("white")) is None  # decoded with the default: no plate
    assert OnnxPlateReader(model, alphabet=alphabet).read(blank_image("white")).text == "43A11234"


def test_onnx_decoded_text_that_is_no_plate_reads_as_nothing(tmp_path):
    # "43A-112.34" decoded with an alphabet that maps the same classes to other characters.
    alphabet = DEFAULT_ALPHABET[::-1]
    model = build_model(tmp_path / "other.onnx")

    assert OnnxPlateReader(model, alphabet=alphabet).read(blank_image("white")) is None


def test_onnx_model_with_the_wrong_input_rank_is_refused_at_load_time(tmp_path):
    model = build_model(tmp_path / "rank3.onnx", input_shape=["N", 32, 128])

    with pytest.raises(PlateReaderUnavailable, match=r"input must be float32 N×1×H×W.*\['N', 32, 128\]"):
        OnnxPlateReader(model)


def test_onnx_model_with_colour_channels_is_refused_at_load_time(tmp_path):
    model = build_model(tmp_path / "rgb.onnx", input_shape=["N", 3, 32, 128])

    with pytest.raises(PlateReaderUnavailable, match="one greyscale channel"):
        OnnxPlateReader(model)


def test_onnx_model_whose_classes_do_not_match_the_alphabet_is_refused_at_load_time(tmp_path):
    model = build_model(tmp_path / "short.onnx", classes=20)

    with pytest.raises(PlateReaderUnavailable, match="20 classes, the alphabet 33 characters plus the blank"):
        OnnxPlateReader(model)


def test_a_missing_or_corrupt_model_file_is_a_clear_configuration_error(tmp_path):
    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(b"this is not a protobuf")

    with pytest.raises(PlateReaderUnavailable, match="no model file at"):
        OnnxPlateReader(tmp_path / "absent.onnx")
    with pytest.raises(PlateReaderUnavailable, match="not a model onnxruntime can load"):
        OnnxPlateReader(corrupt)


def test_onnx_reader_refuses_garbage_bytes_as_an_invalid_plate_image(tmp_path):
    reader = OnnxPlateReader(build_model(tmp_path / "plate.onnx"))

    with pytest.raises(PlateImageInvalid):
        reader.read(b"\xff\xd8\xff\xe0 truncated jpeg")


# --- Settings ----------------------------------------------------------------------------------


@needs_tesseract
def test_tesseract_is_the_default_reader(settings):
    settings.TRAFFIC_PLATE_READER = "tesseract"

    reader = plate_reader_from_settings()

    assert isinstance(reader, TesseractPlateReader)
    assert plate_reader_from_settings() is reader  # made once per configuration


def test_reader_none_reads_nothing(settings):
    settings.TRAFFIC_PLATE_READER = "none"

    reader = plate_reader_from_settings()

    assert isinstance(reader, NoPlateReader)
    assert reader.read(plate_image(["43A-123.45"])) is None


def test_reader_onnx_loads_the_model_named_by_the_settings(settings, tmp_path):
    settings.TRAFFIC_PLATE_READER = "ONNX"
    settings.TRAFFIC_PLATE_MODEL = str(build_model(tmp_path / "plate.onnx"))

    reader = plate_reader_from_settings()

    assert isinstance(reader, OnnxPlateReader)
    assert reader.read(blank_image("black")).text == "29B112345"


def test_reader_onnx_without_a_model_path_is_a_configuration_error(settings):
    settings.TRAFFIC_PLATE_READER = "onnx"
    settings.TRAFFIC_PLATE_MODEL = ""

    with pytest.raises(PlateReaderUnavailable, match="needs TRAFFIC_PLATE_MODEL"):
        plate_reader_from_settings()


def test_an_unknown_reader_name_is_a_configuration_error(settings):
    settings.TRAFFIC_PLATE_READER = "tesseract5"

    with pytest.raises(PlateReaderUnavailable, match="one of tesseract, onnx, none"):
        plate_reader_from_settings()
