"""The HTML report in headless Chromium: it draws the map offline and runs no injected code."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from helpers import check_example

from atribut_rules import check, load_rules
from atribut_rules.write import write_file

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="headless Chromium is not installed (apt-get install chromium)"
)
INJECT = '<script>document.title="PWNED"</script>"><img src=x onerror="document.title=\'PWNED\'">'


def _chromium(page: Path, tmp_path: Path, *extra: str) -> str:
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        *extra,
        page.as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _example_run():
    return check_example(relative=True, permits=False)


def _status(dom: str) -> dict[str, str]:
    tag = re.search(r'<output id="map-status"[^>]*>', dom)
    assert tag, "the page did not keep its map-status element"
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', tag.group(0)))


def test_example_report_draws_every_located_report(tmp_path):
    run = _example_run()
    page = tmp_path / "laporan.html"
    write_file(run, "html", page, lang="id")
    status = _status(_chromium(page, tmp_path, "--dump-dom"))
    located = int(((run.reports.lon == run.reports.lon) & (run.reports.lat == run.reports.lat)).sum())
    assert "data-errors" not in status, status.get("data-errors")
    assert status.get("data-ready") == "1", "the page script did not finish"
    assert int(status["data-reports-drawn"]) == located > 0
    assert int(status["data-zones-drawn"]) > 0


def test_injected_markup_does_not_run(tmp_path):
    run = _example_run()
    reports = run.reports
    reports = dataclasses.replace(
        reports,
        ids=[INJECT + rid if i < 3 else rid for i, rid in enumerate(reports.ids)],
        extra={**reports.extra, "catatan": [INJECT] * len(reports)},
    )
    rules = load_rules()
    rules = dataclasses.replace(
        rules,
        rules=tuple(
            dataclasses.replace(
                r,
                title={"id": INJECT, "en": INJECT},
                legal_basis={"id": INJECT, "en": INJECT},
                message={"id": INJECT + " {catatan}", "en": INJECT},
            )
            for r in rules.rules
        ),
    )
    zones = run.zones
    zones = dataclasses.replace(zones, names=[INJECT] * len(zones), ids=[INJECT + z for z in zones.ids])
    evil = check(reports, zones, rules)
    assert any(v.findings for v in evil.verdicts)
    page = tmp_path / "evil.html"
    write_file(evil, "html", page, lang="id")
    text = page.read_text(encoding="utf-8")
    assert "<script>document.title" not in text and "<img src=x" not in text
    dom = _chromium(page, tmp_path, "--dump-dom")
    assert "PWNED" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    status = _status(dom)
    assert "data-errors" not in status and status.get("data-ready") == "1"
    assert int(status["data-reports-drawn"]) > 0


def test_screenshot_of_the_example(tmp_path):
    """Keeps docs/img/example-report.png current when run with --update-golden."""
    run = _example_run()
    page = tmp_path / "laporan.html"
    write_file(run, "html", page, lang="id")
    shot = tmp_path / "shot.png"
    _chromium(page, tmp_path, "--hide-scrollbars", "--window-size=1280,1000", f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
