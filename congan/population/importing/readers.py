"""Enrichment files as rows of text cells: CSV, XLSX and JSON Lines.

Row numbers are the ones a person sees when opening the file: in CSV and XLSX the header is
row 1 and the first record is row 2; in JSON Lines the first line is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from congan.core.errors import ValidationFailed
from congan.core.jsonbody import json_body

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}

# (row number, cells aligned with the header, a (field, reason) problem that rejects the row)
Row = tuple[int, list[str], tuple[str, str] | None]


def file_format(name: str) -> str:
    fmt = FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        raise ValidationFailed(
            _("Định dạng tệp không được hỗ trợ."), details={"file": [_("Chỉ nhận tệp .csv, .xlsx hoặc .jsonl.")]}
        )
    return fmt


class SourceFile:
    """Base: ``header`` once, then ``rows(after=n)`` yields the rows numbered above ``n``."""

    header: list[str]

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self, after: int = 0) -> Iterator[Row]:
        raise NotImplementedError

    def estimate_rows(self) -> int:
        """Records in the file (an estimate for CSV with quoted line breaks), for progress."""
        count = 0
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                count += chunk.count(b"\n")
        return count

    @staticmethod
    def _aligned(cells: list[str], width: int) -> tuple[list[str], tuple[str, str] | None]:
        if len(cells) == width:
            return cells, None
        if len(cells) < width:
            return cells + [""] * (width - len(cells)), None
        return cells, ("", _("Dòng có nhiều ô hơn dòng tiêu đề."))


class CsvFile(SourceFile):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        with self._open() as handle:
            sample = handle.readline()
            self.dialect = self._dialect(sample)
            self.header = next(csv.reader(io.StringIO(sample), self.dialect), [])

    def _open(self) -> io.TextIOWrapper:
        return self.path.open(encoding="utf-8-sig", newline="")

    @staticmethod
    def _dialect(header_line: str) -> type[csv.Dialect]:
        try:
            return csv.Sniffer().sniff(header_line, delimiters=",;\t")
        except csv.Error:
            return csv.excel

    def rows(self, after: int = 0) -> Iterator[Row]:
        width = len(self.header)
        with self._open() as handle:
            reader = csv.reader(handle, self.dialect)
            try:
                next(reader, None)
                for number, cells in enumerate(reader, start=2):
                    if number <= after or not cells:
                        continue
                    yield number, *self._aligned(cells, width)
            except (csv.Error, UnicodeDecodeError) as exc:
                raise ValidationFailed(
                    _("Tệp CSV bị lỗi ở dòng %(row)s: %(error)s") % {"row": reader.line_num, "error": exc}
                ) from exc

    def estimate_rows(self) -> int:
        return max(super().estimate_rows() - 1, 0)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class XlsxFile(SourceFile):
    """The first sheet; the first row is the header."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        from openpyxl import load_workbook

        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ValidationFailed(_("Không đọc được tệp Excel: %(error)s") % {"error": exc}) from exc
        self.sheet = self.workbook.worksheets[0]
        first = next(self.sheet.iter_rows(max_row=1, values_only=True), ())
        self.header = [_cell_text(value).strip() for value in first]

    def rows(self, after: int = 0) -> Iterator[Row]:
        width = len(self.header)
        for number, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2):
            if number <= after:
                continue
            cells = [_cell_text(value) for value in values]
            while cells and cells[-1] == "" and len(cells) > width:
                cells.pop()
            if not any(cells):
                continue
            yield number, *self._aligned(cells, width)

    def estimate_rows(self) -> int:
        return max((self.sheet.max_row or 1) - 1, 0)


class JsonLinesFile(SourceFile):
    """One JSON object per line. Objects may leave out keys, so the header is every key used in
    the file, in order of first use (one extra pass over the file)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        keys: dict[str, None] = {}
        with self.path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                try:
                    record = json_body(line)[0] if line.strip() else None
                except ValueError:  # not JSON, or nested too deep
                    continue
                if isinstance(record, dict):
                    keys.update(dict.fromkeys(record))
        self.header = list(keys)

    def rows(self, after: int = 0) -> Iterator[Row]:
        header = self.header
        with self.path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if number <= after or not line.strip():
                    continue
                try:
                    record = json_body(line)[0]
                except ValueError:  # not JSON, or nested too deep
                    yield number, [""] * len(header), ("", _("Dòng không phải JSON hợp lệ."))
                    continue
                if not isinstance(record, dict):
                    yield number, [""] * len(header), ("", _("Mỗi dòng phải là một đối tượng JSON."))
                    continue
                yield number, [_cell_text(record.get(key)) for key in header], None


def open_source(path: Path, fmt: str) -> SourceFile:
    return {"csv": CsvFile, "xlsx": XlsxFile, "jsonl": JsonLinesFile}[fmt](path)
