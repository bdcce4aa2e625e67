"""Writes congan/population/data/nationalities.json: the countries an officer picks a nationality
from, with their Vietnamese and English names from Unicode CLDR (through Babel, needed only to
run this script: `pip install babel`). Run again when CLDR renames a country."""

from __future__ import annotations

import json
from pathlib import Path

from babel import Locale  # type: ignore[import-not-found]  # only to regenerate the file

TARGET = Path(__file__).resolve().parent.parent / "congan" / "population" / "data" / "nationalities.json"
NOT_NATIONALITIES = {
    *("AQ", "BV", "HM", "TF", "GS", "UM", "CP", "DG", "IC", "EA", "AC", "TA"),  # uninhabited or no nationality
    *("EU", "EZ", "UN", "QO", "ZZ"),  # groupings and pseudo-regions
}
# The names Vietnamese official documents use where CLDR's differ.
VIETNAMESE_USAGE = {
    "TW": "Đài Loan (Trung Quốc)",
    "HK": "Hồng Kông (Trung Quốc)",
    "MO": "Ma Cao (Trung Quốc)",
}


def _not_private_use(code: str) -> bool:
    return not code.startswith("X") or code == "XK"  # Kosovo uses a private-use code


def main() -> None:
    vietnamese, english = Locale("vi").territories, Locale("en").territories
    countries = [
        [code, VIETNAMESE_USAGE.get(code, vietnamese[code]), english[code]]
        for code in sorted(vietnamese)
        if len(code) == 2 and code.isalpha() and code not in NOT_NATIONALITIES and _not_private_use(code)
    ]
    document = {
        "_about": (
            "Quốc tịch: mã ISO 3166-1 alpha-2, tên tiếng Việt và tiếng Anh theo Unicode CLDR "
            "(scripts/generate_nationalities.py), tên Đài Loan, Hồng Kông, Ma Cao theo cách gọi trong văn bản "
            "hành chính Việt Nam."
        ),
        "countries": countries,
    }
    rows = ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in countries)
    about = json.dumps(document["_about"], ensure_ascii=False)
    TARGET.write_text(f'{{\n "_about": {about},\n "countries": [\n  {rows}\n ]\n}}\n', encoding="utf-8")
    print(f"{len(countries)} countries written to {TARGET}")


if __name__ == "__main__":
    main()
