"""Writes congan/static/vendor/protomaps-leaflet/: the browser bundle of protomaps-leaflet, the
renderer that draws the operator's vector base map (PMTiles or vector MBTiles) on our Leaflet
(decision 0023), with its licence and the licences of the packages bundled in it.

The files are committed, so `make run` needs neither npm nor the network; run this again to
update them: `.venv/bin/python scripts/vendor_protomaps_leaflet.py` (needs `npm`, reaching the npm
registry). Change VERSION deliberately and read the release notes first.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "protomaps-leaflet"
VERSION = "5.1.0"
BUNDLE = "package/dist/protomaps-leaflet.js"  # the IIFE build: defines window.protomapsL
TARGET = Path(__file__).resolve().parent.parent / "congan" / "static" / "vendor" / "protomaps-leaflet"


def _npm(*args: str, cwd: Path) -> str:
    return subprocess.run(["npm", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def _licence_text(folder: Path) -> str:
    for candidate in sorted(folder.iterdir()):
        if candidate.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")) and candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace").strip()
    return "(the package ships no licence file; see its package.json)"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        # npm pack checks the tarball against the registry's integrity hash.
        packed = json.loads(_npm("pack", f"{PACKAGE}@{VERSION}", "--json", cwd=work))[0]
        with tarfile.open(work / packed["filename"], "r:gz") as archive:
            bundle = archive.extractfile(BUNDLE)
            licence = archive.extractfile("package/LICENSE")
            if bundle is None or licence is None:
                raise RuntimeError(f"{PACKAGE} {VERSION} holds no {BUNDLE} or LICENSE")
            original = bundle.read()
            licence_text = licence.read().decode()
        # The source map is not vendored: drop its reference (collectstatic's manifest would
        # look for the file).
        lines = original.decode().rstrip("\n").split("\n")
        code = "\n".join(line for line in lines if not line.startswith("//# sourceMappingURL=")) + "\n"

        # The packages the bundle carries, as npm resolves them for this version today.
        (work / "package.json").write_text('{"private": true}')
        _npm("install", "--ignore-scripts", "--no-audit", "--no-fund", "--omit=dev", f"{PACKAGE}@{VERSION}", cwd=work)
        notices = []
        for node in sorted(json.loads(_npm("query", "*", cwd=work)), key=lambda node: node.get("name", "")):
            name = node.get("name", "")
            if not name or name == PACKAGE or name.startswith("@types/") or not node.get("path"):
                continue
            licence_name = node.get("license", "?")
            text = _licence_text(Path(node["path"]))
            notices.append(f"{name} {node.get('version', '')} ({licence_name})\n\n{text}")

    TARGET.mkdir(parents=True, exist_ok=True)
    (TARGET / "protomaps-leaflet.js").write_text(code, encoding="utf-8")
    (TARGET / "LICENSE").write_text(licence_text, encoding="utf-8")
    (TARGET / "THIRD-PARTY-LICENSES.txt").write_text(
        f"Packages bundled in {PACKAGE} {VERSION}, with their licences.\n\n" + "\n\n---\n\n".join(notices) + "\n",
        encoding="utf-8",
    )
    (TARGET / "SOURCE.txt").write_text(
        f"{PACKAGE} {VERSION} from the npm registry ({packed['integrity']}), file {BUNDLE.removeprefix('package/')}\n"
        "without its sourceMappingURL line; written by scripts/vendor_protomaps_leaflet.py.\n"
        f"sha256 {hashlib.sha256(code.encode()).hexdigest()}\n",
        encoding="utf-8",
    )
    print(f"{TARGET}: {len(code):,} bytes of {PACKAGE} {VERSION}, {len(notices)} bundled packages' licences")


if __name__ == "__main__":
    main()
