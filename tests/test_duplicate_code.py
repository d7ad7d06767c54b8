"""Every rule in one place: no block of code is repeated in customers/ (transaction columns,
the list query, preserved filters and write steps were each written out more than once).

The scan is pylint's own similarity engine (`Symilar`, behind its duplicate-code check, R0801)
at six lines, comments and docstrings ignored, as `pylint --disable=all
--enable=duplicate-code --min-similarity-lines=6 customers/` runs it, with one difference:
imports and signatures count as code here. Ignoring them makes pylint parse and infer every
module (about 9 s of CPU); counted, a repeated body is still found whatever its signature.
"""

import contextlib
import io
import pathlib

from pylint.checkers.symilar import Symilar

ROOT = pathlib.Path(__file__).resolve().parents[1]
MIN_LINES = 6


def similarities(folder: pathlib.Path) -> str:
    scanner = Symilar(min_lines=MIN_LINES, ignore_comments=True, ignore_docstrings=True)
    for path in sorted(folder.rglob("*.py")):
        if "migrations" not in path.parts:
            with path.open(encoding="utf-8") as stream:
                scanner.append_stream(str(path.relative_to(ROOT)), stream)
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        scanner.run()
    return report.getvalue()


def test_customers_holds_no_repeated_block():
    report = similarities(ROOT / "customers")

    assert "duplicates=0 " in report, report


def test_the_scan_finds_a_block_written_twice(tmp_path, monkeypatch):
    block = "".join(f"    total_{n} = amount * {n} + tax\n" for n in range(MIN_LINES + 2))
    for name in ("one.py", "two.py"):
        (tmp_path / name).write_text(f"def {name[:3]}(amount, tax):\n{block}")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    report = similarities(tmp_path)

    assert f"{MIN_LINES + 2} similar lines in 2 files" in report, report
