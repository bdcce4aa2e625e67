"""The vendored renderer of vector base maps is the pinned npm release, unedited, with its
licences beside it (scripts/vendor_protomaps_leaflet.py writes them; decision 0023)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "congan" / "static" / "vendor" / "protomaps-leaflet"


def test_the_vendored_renderer_is_the_release_the_script_pins():
    script = (ROOT / "scripts" / "vendor_protomaps_leaflet.py").read_text(encoding="utf-8")
    version = re.search(r'^VERSION = "([^"]+)"', script, re.MULTILINE)
    source = (VENDOR / "SOURCE.txt").read_text(encoding="utf-8")
    assert version and source.startswith(f"protomaps-leaflet {version.group(1)} from the npm registry")
    code = (VENDOR / "protomaps-leaflet.js").read_bytes()
    assert f"sha256 {hashlib.sha256(code).hexdigest()}" in source  # not edited by hand
    assert code.startswith(b'"use strict";var protomapsL=')  # the browser build: window.protomapsL
    assert b"sourceMappingURL" not in code  # collectstatic's manifest would look for the map


def test_its_licence_and_those_of_the_packages_it_bundles_ship_with_it():
    assert "Redistribution and use in source and binary forms" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    bundled = (VENDOR / "THIRD-PARTY-LICENSES.txt").read_text(encoding="utf-8")
    for package in ("pmtiles", "@mapbox/vector-tile", "pbf", "rbush", "fflate"):
        assert f"\n{package} " in bundled
