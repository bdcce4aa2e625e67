"""`congan archive_watch [--follow]`: take the files scanning stations leave in ARCHIVE_IMPORT_DIR
(each becomes an archive item, the file is moved to done/ or failed/), and take up the items a
crashed worker left (an expired lease). `congan serve` runs it with --follow beside the task worker."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from congan.archive.services import import_folder_scan, items_resume


class Command(BaseCommand):
    help = "Import scans from ARCHIVE_IMPORT_DIR and resume archive items a crashed worker left."

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="Keep watching (every ARCHIVE_WATCH_SECONDS).")
        parser.add_argument("--folder", default="", help="Another folder than ARCHIVE_IMPORT_DIR.")

    def handle(self, *args, **options):
        folder = (
            Path(options["folder"] or settings.ARCHIVE_IMPORT_DIR)
            if (options["folder"] or settings.ARCHIVE_IMPORT_DIR)
            else None
        )
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        while True:
            taken = import_folder_scan(folder=folder) if folder is not None else {"taken": 0, "refused": 0}
            resumed = items_resume()
            if options["verbosity"] > 1 or not options["follow"]:
                counts = {**taken, **resumed}
                self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))
            if not options["follow"]:
                return
            time.sleep(max(0.5, settings.ARCHIVE_WATCH_SECONDS))
            close_old_connections()  # a long-running loop: drop connections past their age or broken
