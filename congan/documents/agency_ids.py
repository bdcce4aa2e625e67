"""Mã định danh cơ quan — the identifier of an agency that exchanges documents electronically.

Two forms live side by side (domain-vietnam.md §5b.A1): the 2016 form of QCVN 102:2016/BTTTT,
``V1V2V3.Z1Z2.Y1Y2.MX1X2`` with level 1 at the right (``000.00.00.G22``), and the form of
QĐ 20/2020/QĐ-TTg, up to 35 characters with level 1 at the left (``G01.12.03``). Real systems send
codes that fit neither (``999.010.01.H22``), so an identifier is kept as the opaque string it
came as, and a mismatch is a warning shown to the clerk, never a refusal.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

MAX_LENGTH = 35
FORM_2016 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}$")
FORM_2020 = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$")


def clean(value: str) -> str:
    """The identifier as stored: trimmed, nothing else changed (it is opaque)."""
    return (value or "").strip()


def warning(value: str) -> str:
    """A sentence for the clerk when ``value`` fits neither form; "" when it fits or is empty."""
    value = clean(value)
    if not value or FORM_2016.match(value) or (len(value) <= MAX_LENGTH and FORM_2020.match(value)):
        return ""
    return _(
        "Mã định danh %(code)s không theo dạng của QCVN 102:2016 (000.00.00.G22) hay Quyết định 20/2020/QĐ-TTg "
        "(G01.12.03). Vẫn lưu như đã nhập; hãy kiểm tra lại với cơ quan gửi."
    ) % {"code": value}
