"""`make lint` type-checks with mypy against a baseline that can only shrink (scripts/typecheck.sh).

mypy itself is replaced by a fake that prints fixed output (MYPY=...), so these tests check the
script and its baseline rules, not today's errors; `make lint` runs the real thing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "typecheck.sh"

OLD = 'congan/a.py:10: error: Argument 1 to "f" has incompatible type "str"; expected "int"  [arg-type]'
OLD_MOVED = OLD.replace(":10:", ":42:")
NEW = 'congan/b.py:3: error: "HttpRequest" has no attribute "auth"  [attr-defined]'
NOTE = "congan/b.py:3: note: See https://mypy.readthedocs.io/en/stable/common_issues.html"
OLD_IN_BASELINE = OLD.replace(":10:", ":0:")


def _run(tmp_path: Path, mypy_lines: list[str], baseline: list[str] | None, *args: str, mypy_exit: int = 1):
    output = tmp_path / "mypy-output.txt"
    output.write_text("".join(line + "\n" for line in mypy_lines))
    fake = tmp_path / "fake-mypy"
    fake.write_text(f"#!/bin/sh\ncat {output}\nexit {mypy_exit}\n")
    fake.chmod(0o755)
    path = tmp_path / "baseline.txt"
    if baseline is not None:
        path.write_text("".join(line + "\n" for line in baseline))
    env = {**os.environ, "MYPY": str(fake), "MYPY_BASELINE": str(path), "BIN": str(Path(sys.executable).parent)}
    result = subprocess.run(
        ["/bin/sh", str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    return result, path


def test_errors_in_the_baseline_pass_even_when_their_line_moved(tmp_path):
    result, _ = _run(tmp_path, [OLD_MOVED, NOTE], [OLD_IN_BASELINE])
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_new_error_fails(tmp_path):
    result, _ = _run(tmp_path, [OLD, NEW], [OLD_IN_BASELINE])
    assert result.returncode != 0
    assert NEW in result.stdout


def test_an_error_listed_in_the_baseline_that_no_longer_occurs_fails(tmp_path):
    result, _ = _run(tmp_path, [], [OLD_IN_BASELINE], mypy_exit=0)
    assert result.returncode != 0
    assert "fixed: 1" in result.stdout


def test_a_second_copy_of_a_listed_error_is_a_new_error(tmp_path):
    result, _ = _run(tmp_path, [OLD, OLD.replace(":10:", ":11:")], [OLD_IN_BASELINE])
    assert result.returncode != 0


@pytest.mark.parametrize("mypy_exit", [2, 127])
def test_mypy_failing_to_run_fails_even_with_an_empty_baseline(tmp_path, mypy_exit):
    result, _ = _run(tmp_path, ["mypy: error: cannot read configuration"], [], mypy_exit=mypy_exit)
    assert result.returncode != 0


def test_sync_writes_todays_errors_sorted_without_line_numbers_or_notes(tmp_path):
    result, path = _run(
        tmp_path, [NEW, NOTE, OLD_MOVED], [OLD_IN_BASELINE, "congan/gone.py:0: error: x  [misc]"], "--sync"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_text().splitlines() == sorted([OLD_IN_BASELINE, NEW.replace(":3:", ":0:")])


def test_make_lint_runs_the_type_check_and_the_baseline_is_committed():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/typecheck.sh" in lint
    assert "scripts/typecheck.sh --sync" in makefile.split("\nmypy-baseline:", 1)[1].split("\n\n", 1)[0]
    assert (ROOT / "mypy-baseline.txt").is_file()


def _any_typed_by_parameters(root: Path) -> list[str]:
    """Every ``by`` parameter (the officer or system a service acts for) annotated ``Any``."""
    import ast

    found = []
    for path in sorted((root / "congan").rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in node.args.args + node.args.kwonlyargs:
                    if arg.arg == "by" and arg.annotation is not None and "Any" in ast.unparse(arg.annotation):
                        found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    return found


def test_services_name_the_officer_they_act_for_not_any():
    """``by`` is an ``Officer`` (congan.org.models), ``OfficerOrSystem`` (congan.org.actors) or, in
    the kernel, ``StaffUser | System`` (congan.core.actors): never ``Any``."""
    assert _any_typed_by_parameters(ROOT) == []
