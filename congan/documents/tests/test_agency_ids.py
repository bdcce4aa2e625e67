"""Agency identifiers (QCVN 102:2016 and QĐ 20/2020) are kept as sent; a strange one is a warning."""

from __future__ import annotations

import pytest

from congan.documents import agency_ids


@pytest.mark.parametrize("code", ["000.00.00.G22", "000.00.18.G12", "G01", "G01.12.03", "H17.A1B2", ""])
def test_identifiers_of_either_form_raise_no_warning(code):
    assert agency_ids.warning(code) == ""


@pytest.mark.parametrize("code", ["999.010.01.H22", "00.22.W00", "28.22.H17", "g01.12", "Z01" + ".1" * 17])
def test_an_identifier_of_neither_form_is_a_warning_naming_it(code):
    assert code in agency_ids.warning(code)
    assert "Vẫn lưu" in agency_ids.warning(code)
