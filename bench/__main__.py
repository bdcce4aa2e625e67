"""``python -m bench``: run every benchmark and print its figures against its baseline."""

from __future__ import annotations

import sys

from bench import setup_django


def main() -> int:
    database = setup_django()
    from bench import audit

    print(f"congan benchmarks on {database}")
    return audit.run()


if __name__ == "__main__":
    sys.exit(main())
