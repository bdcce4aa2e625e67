from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congan.core.errors import ApplicationError
from congan.org import boundaries


class Command(BaseCommand):
    help = (
        "Map data. 'import-boundaries FILE': the province's commune boundaries from a GeoJSON "
        "FeatureCollection (.geojson, .json) or a shapefile (.shp, or a .zip holding one), in WGS 84 "
        "longitude/latitude, one feature per commune with its five-digit code in a property (ma_xa, "
        "ward_code, code… or --code-field). Reports are then routed to the commune whose boundary holds "
        "their point and warnings reach the communes their area touches; a file imported again replaces "
        "the boundaries it holds. Features that cannot be used are listed with the reason."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["import-boundaries"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--code-field", default="", help="the property holding the commune code")
        parser.add_argument("--name-field", default="", help="the property holding the commune name")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = boundaries.import_file(
                by="system", path=path, code_field=options["code_field"], name_field=options["name_field"]
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message}: {exc.details}") from exc
        for line in result.skipped:
            self.stderr.write(line)
        self.stdout.write(f"{result.imported} commune boundaries imported, {len(result.skipped)} features skipped")
        if not result.imported:
            raise CommandError("no boundary imported")
