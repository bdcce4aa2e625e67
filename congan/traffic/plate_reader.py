"""Reading a number plate from an image, for events that carry a picture but no plate text.

Cameras normally send the plate text with an event. When an event carries only an image of the
plate (a crop of the evidence photo), a `PlateReader` reads it::

    reading = plate_reader_from_settings().read(image_bytes)
    if reading is not None:
        reading.text        # canonical plate, "43A12345"
        reading.confidence  # 0..1
        reading.raw         # what the engine read, separators kept ("29-B1 123.45")

A reader returns a `PlateReading` only when what it read parses as a Vietnamese plate
(`plates.parse_plate`); no text, or text that is not a plate, is None, and the event waits for an
officer like any unreadable plate.

Errors, chosen so a caller can tell "this image" from "this server":

- `PlateImageInvalid` (a `ValidationFailed`, 422): the bytes are not a JPEG or PNG image.
- `PlateReaderUnavailable` (an `ImproperlyConfigured`): the engine cannot run as configured — the
  `tesseract` binary or its English data missing, the model file missing or not keeping the
  contract below, an unknown ``TRAFFIC_PLATE_READER``. Raised when the reader is made (and when it
  reads, if the binary went away): the operator has to fix it, retrying will not.
- A Tesseract run past its timeout, or one that fails on an image, is logged as a warning and
  reads as None: one bad image must not stop ingestion.

Engines, chosen by ``TRAFFIC_PLATE_READER``:

- ``"tesseract"`` (default): Debian's ``tesseract-ocr`` run as a subprocess on a crop made
  greyscale, enlarged when small and thresholded (Otsu), with the characters limited to those
  plates use. One-line plates are read as one text line (``--psm 7``), square ones (motorbikes,
  two-line car plates) as a block (``--psm 6``); the other mode is tried when the first does not
  give a plate. Confidence: Tesseract's word confidences (TSV output), weighted by length.
- ``"onnx"``: a plate-OCR model file the operator supplies (``TRAFFIC_PLATE_MODEL``), run by
  onnxruntime on the CPU. Nothing is downloaded.
- ``"none"``: reads nothing (every read is None).

ONNX model contract:

- One input, float32, shape N×1×H×W: the crop in greyscale scaled to [0, 1] (0 black, 1 white),
  resized (stretched, not padded) to H×W. H and W are the model's own input dimensions; where
  they are dynamic, 32 and 128. The batch dimension is 1 or dynamic; one crop is read per run.
- First output: rank 3, T×N×C or N×T×C (told apart by which of the first two axes is the batch of
  1), holding logits or log-probabilities over C classes per time step T.
- Greedy CTC decoding: the best class at each step, repeats collapsed, class 0 the blank; class
  i ≥ 1 is character i − 1 of the alphabet, so C = len(alphabet) + 1.
- Alphabet: the one given to `OnnxPlateReader`, else the model's ``metadata_props`` key
  ``alphabet``, else `DEFAULT_ALPHABET` (digits, the letters plates use, "-" and ".").
- Confidence: the mean, over the steps that emit a character, of the largest softmax probability.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from congan.core.errors import ValidationFailed
from congan.core.images import ImageRefused
from congan.core.images import open_image as open_upload
from congan.traffic.plates import FORBIDDEN_LETTERS, parse_plate

logger = logging.getLogger(__name__)

# Digits, then the letters of A–Z that plates use (no I, J, O, Q, W), then the separators.
PLATE_CHARACTERS = "0123456789" + "".join(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in FORBIDDEN_LETTERS) + "-."
DEFAULT_ALPHABET = PLATE_CHARACTERS  # class 1 = "0" … class 31 = "Z", 32 = "-", 33 = "."; class 0 is the CTC blank
DEFAULT_INPUT_SIZE = (32, 128)  # H, W when the model leaves them dynamic
IMAGE_FORMATS = ("JPEG", "PNG")  # what cameras send as evidence; other decoders stay closed
MAX_PIXELS = 25_000_000  # a plate crop is far smaller; a larger "image" is refused before decoding
READERS = ("tesseract", "onnx", "none")


class PlateReaderUnavailable(ImproperlyConfigured):
    """The configured engine cannot run: binary, language data or model missing or not usable."""


class PlateImageInvalid(ValidationFailed):
    """The bytes given as a plate image are not a JPEG or PNG image (422, ``details["image"]``)."""

    code = "plate_image_invalid"


@dataclass(frozen=True)
class PlateReading:
    """Biển số đọc từ ảnh — a plate read from an image, kept only when it parses as a plate."""

    text: str  # the canonical plate ("43A12345"), as `parse_plate` gives it
    confidence: float  # 0..1
    engine: str  # "tesseract", "onnx"
    raw: str = ""  # what the engine read, separators kept: it tells 29-B1 1234 from 29B-112.34


class PlateReader(Protocol):
    """Reads one plate crop: a `PlateReading`, or None when no plate can be read from it."""

    def read(self, image: bytes) -> PlateReading | None: ...


def _invalid_image() -> PlateImageInvalid:
    return PlateImageInvalid(details={"image": [_("Không đọc được ảnh biển số: cần ảnh JPEG hoặc PNG.")]})


def open_image(image: bytes) -> Image.Image:
    """Decode a JPEG or PNG crop (through core.images, the platform's one way to open an image), or
    raise `PlateImageInvalid`."""
    try:
        picture = open_upload(image, formats=IMAGE_FORMATS, max_pixels=MAX_PIXELS, load=True)
    except ImageRefused as exc:
        raise _invalid_image() from exc
    return ImageOps.exif_transpose(picture)


def reading_of(raw: str, confidence: float, *, engine: str) -> PlateReading | None:
    """A reading when the text parses as a plate, else None."""
    try:
        plate = parse_plate(raw)
    except ValidationFailed:
        return None
    return PlateReading(text=plate.canonical, confidence=min(max(confidence, 0.0), 1.0), engine=engine, raw=raw)


class NoPlateReader:
    """``TRAFFIC_PLATE_READER = "none"``: plates come from the cameras or from officers only."""

    engine = "none"

    def read(self, image: bytes) -> PlateReading | None:
        return None


# --- Tesseract ---------------------------------------------------------------------------------

MIN_HEIGHT = 80  # crops lower than this are enlarged first: Tesseract misreads small glyphs
SINGLE_LINE_RATIO = 2.5  # wider than 2.5:1 is a one-line plate (520×110 mm); motorbikes are 190×140


def otsu_threshold(histogram: list[int]) -> int:
    """The grey level that best splits a 256-bin histogram into two classes (Otsu's method)."""
    total = sum(histogram)
    weighted_total = sum(level * count for level, count in enumerate(histogram))
    below = below_weighted = 0
    best, threshold = -1.0, 127
    for level, count in enumerate(histogram):
        below += count
        below_weighted += level * count
        above = total - below
        if below == 0 or above == 0:
            continue
        spread = below * above * (below_weighted / below - (weighted_total - below_weighted) / above) ** 2
        if spread > best:
            best, threshold = spread, level
    return threshold


def binarise(picture: Image.Image) -> Image.Image:
    """Greyscale, enlarged when small, thresholded, dark text on white, with a white margin."""
    grey = picture.convert("L")
    if grey.height < MIN_HEIGHT:
        scale = MIN_HEIGHT / grey.height
        grey = grey.resize((max(1, round(grey.width * scale)), MIN_HEIGHT), Image.Resampling.BICUBIC)
    threshold = otsu_threshold(grey.histogram())
    binary = grey.point(lambda level: 255 if level > threshold else 0)
    if binary.histogram()[0] > binary.width * binary.height / 2:  # white text on a blue or red plate
        binary = ImageOps.invert(binary)
    return ImageOps.expand(binary, border=max(10, binary.height // 8), fill=255)


def page_modes(picture: Image.Image) -> tuple[int, int]:
    """Tesseract's page segmentation modes to try, best guess first: 7 one line, 6 a block."""
    return (7, 6) if picture.width >= SINGLE_LINE_RATIO * picture.height else (6, 7)


def parse_tsv(tsv: str) -> tuple[str, float] | None:
    """(text, confidence 0..1) from Tesseract's TSV: words joined by spaces, lines too."""
    words: list[tuple[str, float]] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[0] == "5" and cells[11].strip():
            words.append((cells[11].strip(), float(cells[10])))
    if not words:
        return None
    length = sum(len(text) for text, _conf in words)
    confidence = sum(len(text) * max(conf, 0.0) for text, conf in words) / length / 100
    return " ".join(text for text, _conf in words), confidence


class TesseractPlateReader:
    """Debian's ``tesseract`` binary (package ``tesseract-ocr``), one subprocess per page mode."""

    engine = "tesseract"

    def __init__(self, *, binary: str = "tesseract", language: str = "eng", timeout: float = 10.0) -> None:
        path = shutil.which(binary)
        if path is None:
            raise PlateReaderUnavailable(
                f"TRAFFIC_PLATE_READER=tesseract: no '{binary}' binary on PATH (apt-get install tesseract-ocr)"
            )
        self.binary, self.language, self.timeout = path, language, timeout
        languages = self._run(["--list-langs"]).stdout.decode(errors="replace").split()
        if language not in languages:
            raise PlateReaderUnavailable(
                f"tesseract has no '{language}' language data (apt-get install tesseract-ocr-{language})"
            )

    def _run(self, arguments: list[str], image: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(  # noqa: S603 - our own binary path and fixed arguments; the image goes in on stdin
                [self.binary, *arguments],
                input=image,
                capture_output=True,
                timeout=self.timeout,
                check=False,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one thread: faster on small images, no oversubscription
            )
        except OSError as exc:
            raise PlateReaderUnavailable(f"cannot run {self.binary}: {exc}") from exc

    def _ocr(self, png: bytes, mode: int) -> tuple[str, float] | None:
        arguments = [
            "stdin",
            "stdout",
            "-l",
            self.language,
            "--psm",
            str(mode),
            "--dpi",
            "300",
            "-c",
            f"tessedit_char_whitelist={PLATE_CHARACTERS}",
            "tsv",
        ]
        try:
            result = self._run(arguments, png)
        except subprocess.TimeoutExpired:
            logger.warning("tesseract took longer than %ss on a plate image; left unread", self.timeout)
            return None
        if result.returncode != 0:
            problem = result.stderr[-300:].decode(errors="replace").strip()
            logger.warning("tesseract failed (exit %s) on a plate image: %s", result.returncode, problem)
            return None
        return parse_tsv(result.stdout.decode(errors="replace"))

    def read(self, image: bytes) -> PlateReading | None:
        picture = open_image(image)
        buffer = io.BytesIO()
        binarise(picture).save(buffer, format="PNG")
        for mode in page_modes(picture):
            found = self._ocr(buffer.getvalue(), mode)
            reading = reading_of(*found, engine=self.engine) if found else None
            if reading is not None:
                return reading
        return None


# --- ONNX --------------------------------------------------------------------------------------


def ctc_greedy_decode(logits: np.ndarray, alphabet: str) -> tuple[str, float]:
    """(text, confidence) from T×C logits: best class per step, repeats collapsed, blank 0 dropped;
    the confidence is the mean largest softmax probability of the steps that emit a character."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    probabilities = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    best = probabilities.argmax(axis=1)
    characters, kept = [], []
    previous = 0
    for step, index in enumerate(best.tolist()):
        if index != 0 and index != previous:
            characters.append(alphabet[index - 1])
            kept.append(float(probabilities[step, index]))
        previous = index
    return "".join(characters), (sum(kept) / len(kept) if kept else 0.0)


def _dimension(value: Any, default: int) -> int:
    return value if isinstance(value, int) and value > 0 else default


def _one_or_dynamic(value: Any) -> bool:
    """onnxruntime gives a dynamic dimension as a name or None."""
    return not isinstance(value, int) or value == 1


class OnnxPlateReader:
    """A plate-OCR model supplied by the operator, run with onnxruntime on the CPU (see the contract above)."""

    engine = "onnx"

    def __init__(self, model_path: str | Path, *, alphabet: str | None = None) -> None:
        import onnxruntime  # imported here: only servers configured for it pay for loading it

        path = Path(model_path)
        if not path.is_file():
            raise PlateReaderUnavailable(f"TRAFFIC_PLATE_MODEL: no model file at {path}")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1  # a plate is tiny; leave cores to requests
        options.log_severity_level = 3  # errors only
        try:
            self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's own errors (InvalidProtobuf, Fail…) derive from Exception only
            raise PlateReaderUnavailable(f"{path}: not a model onnxruntime can load: {exc}") from exc
        self.input_name, self.height, self.width = self._input(path)
        self.output_name = self._output(path)
        metadata = self.session.get_modelmeta().custom_metadata_map
        self.alphabet = alphabet or metadata.get("alphabet") or DEFAULT_ALPHABET
        self._check_classes(self.session.get_outputs()[0].shape, path)

    def _input(self, path: Path) -> tuple[str, int, int]:
        inputs = self.session.get_inputs()
        if len(inputs) != 1:
            raise PlateReaderUnavailable(f"{path}: the model must take one input, it takes {len(inputs)}")
        shape = inputs[0].shape
        if inputs[0].type != "tensor(float)" or len(shape) != 4:
            raise PlateReaderUnavailable(
                f"{path}: the input must be float32 N×1×H×W, it is {inputs[0].type} of shape {shape}"
            )
        if not (_one_or_dynamic(shape[0]) and _one_or_dynamic(shape[1])):
            raise PlateReaderUnavailable(f"{path}: the input must be one greyscale channel N×1×H×W, it is {shape}")
        return inputs[0].name, _dimension(shape[2], DEFAULT_INPUT_SIZE[0]), _dimension(shape[3], DEFAULT_INPUT_SIZE[1])

    def _output(self, path: Path) -> str:
        output = self.session.get_outputs()[0]
        if output.shape and len(output.shape) != 3:
            raise PlateReaderUnavailable(f"{path}: the first output must be T×N×C or N×T×C, it is {output.shape}")
        return output.name

    def _check_classes(self, shape: list[Any], where: Path | str) -> None:
        classes = shape[-1] if shape else None
        if isinstance(classes, int) and classes > 0 and classes != len(self.alphabet) + 1:
            raise PlateReaderUnavailable(
                f"{where}: the model has {classes} classes, the alphabet {len(self.alphabet)} characters plus the blank"
            )

    def _steps(self, logits: np.ndarray) -> np.ndarray:
        """T×C from N×T×C or T×N×C with N = 1."""
        if logits.ndim != 3:
            raise PlateReaderUnavailable(f"the model gave logits of shape {logits.shape}, not T×N×C or N×T×C")
        self._check_classes(list(logits.shape), "the model's output")
        return logits[0] if logits.shape[0] == 1 else logits[:, 0, :]

    def read(self, image: bytes) -> PlateReading | None:
        grey = open_image(image).convert("L").resize((self.width, self.height), Image.Resampling.BILINEAR)
        tensor = (np.asarray(grey, dtype=np.float32) / 255.0)[np.newaxis, np.newaxis, :, :]
        try:
            (logits,) = self.session.run([self.output_name], {self.input_name: tensor})
        except Exception as exc:  # onnxruntime's errors derive from Exception only
            raise PlateReaderUnavailable(f"the plate model failed on a {self.height}×{self.width} crop: {exc}") from exc
        text, confidence = ctc_greedy_decode(self._steps(np.asarray(logits, dtype=np.float32)), self.alphabet)
        return reading_of(text, confidence, engine=self.engine) if text else None


# --- Settings ----------------------------------------------------------------------------------


def plate_reader_from_settings() -> PlateReader:
    """The reader ``TRAFFIC_PLATE_READER`` names ("tesseract", "onnx" with ``TRAFFIC_PLATE_MODEL``,
    "none"), made once per configuration; raises `PlateReaderUnavailable` when it cannot run."""
    return _reader(str(settings.TRAFFIC_PLATE_READER).strip().lower(), str(settings.TRAFFIC_PLATE_MODEL))


@lru_cache(maxsize=4)  # a failure is not cached: installing tesseract later works without a restart
def _reader(kind: str, model: str) -> PlateReader:
    if kind == "tesseract":
        return TesseractPlateReader()
    if kind == "onnx":
        if not model:
            raise PlateReaderUnavailable("TRAFFIC_PLATE_READER=onnx needs TRAFFIC_PLATE_MODEL, the model file's path")
        return OnnxPlateReader(model)
    if kind == "none":
        return NoPlateReader()
    raise PlateReaderUnavailable(f"TRAFFIC_PLATE_READER={kind!r}: one of {', '.join(READERS)}")
