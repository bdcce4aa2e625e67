"""``python -m bench [NAME…]``: run the benchmarks (all by default) and print their figures
against their baselines. Names: audit, enrichment_import, identity_verify, eservices_dashboard,
incident_intake, violation_ingest, stats_pages, signing,
documents_register, documents_scale, archive_ocr, archive_quality, search_fulltext."""

from __future__ import annotations

import importlib
import sys

from bench import setup_django

BENCHMARKS = (
    "audit",
    "identity_verify",
    "enrichment_import",
    "eservices_dashboard",
    "incident_intake",
    "violation_ingest",
    "stats_pages",
    "signing",
    "documents_register",
    "documents_scale",
    "archive_ocr",
    "archive_quality",
    "search_fulltext",
)


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    database = setup_django()
    print(f"congan benchmarks on {database}")
    status = 0
    for name in names:
        status |= importlib.import_module(f"bench.{name}").run()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
