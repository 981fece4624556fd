"""The page of ``atribut-rules serve`` in a real browser: headless Chromium (Debian's package)
driven by Playwright. Upload the bundled example, read the counts, download the CSV and
compare it with the CLI's; an invalid rule file shows its problem at its line; a long list
shows its progress and can be cancelled; 20 browsers uploading at once each get their own result."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("headless Chromium is not installed (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (extra test)")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed (extra web)")

from atribut_rules import resources  # noqa: E402
from atribut_rules.web.app import Settings, create_app  # noqa: E402

EXAMPLE = resources.example_dir()
ZONES = sorted(EXAMPLE.glob("*.geojson"))
REPO = Path(__file__).resolve().parents[1]
BAD_RULES = """\
ruleset:
  id: bad-set
  version: "1"
  title: {id: Aturan rusak, en: Broken rules}
rules:
  - id: R1
    severity: fatal
    when: {category: tree}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The app on a real port, served by uvicorn in a thread, with the example's zone layers."""
    port = _free_port()
    app = create_app(Settings(zones_dir=EXAMPLE, workers=2))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 30
    while not srv.started and time.monotonic() < end:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        except Exception as exc:  # a browser that cannot start here is a skip, said why
            pytest.skip(f"headless Chromium does not start: {exc}")
        yield chromium
        chromium.close()


def _cli(tmp_path: Path, reports: Path) -> tuple[bytes, dict]:
    """The CLI's CSV and JSON summary for ``reports`` with the example's layers and permits."""
    work = tmp_path / "cli"
    work.mkdir(exist_ok=True)
    argv = [
        "check",
        str(reports),
        "--rules",
        "builtin:id-pemilu-2024",
        "--permits",
        str(EXAMPLE / "izin.csv"),
    ]
    for zone in ZONES:
        argv += ["--zones", str(zone.resolve())]
    argv += ["-q", "--format", "json", "-o", f"csv:{work / 'sheet.csv'}"]
    done = subprocess.run([sys.executable, "-m", "atribut_rules", *argv], capture_output=True, cwd=work)
    assert done.returncode in (0, 1), done.stderr
    return (work / "sheet.csv").read_bytes(), json.loads(done.stdout)["summary"]


def _counts(page) -> dict[str, int]:
    cells = page.locator("#counts td[data-status]")
    return {
        cells.nth(i).get_attribute("data-status"): int(cells.nth(i).inner_text())
        for i in range(cells.count())
    }


def test_the_example_in_a_browser_gives_the_clis_counts_and_csv(server, browser, tmp_path, update_golden):
    expected_csv, summary = _cli(tmp_path, EXAMPLE / "laporan.csv")
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.set_input_files("#reports", str(EXAMPLE / "laporan.csv"))
    page.set_input_files("#permits", str(EXAMPLE / "izin.csv"))
    assert page.locator('input[name="zones_dir"]:checked').count() == len(ZONES)
    if update_golden:
        page.screenshot(path=str(REPO / "docs" / "img" / "serve.png"), full_page=True)
    page.click("#submit")
    page.wait_for_selector("#counts", timeout=60_000)
    counts = _counts(page)
    assert counts.pop("total") == summary["reports"] == 260
    assert counts == summary["by_status"]
    page.wait_for_selector("#dl-csv[href]", timeout=60_000)
    with page.expect_download() as info:
        page.click("#dl-csv")
    download = info.value
    assert download.suggested_filename == "laporan-periksa.csv"
    assert Path(download.path()).read_bytes() == expected_csv
    frame = page.frame_locator("#report")
    status = frame.locator("#map-status")
    status.wait_for(state="attached", timeout=30_000)
    deadline = time.monotonic() + 30
    while status.get_attribute("data-ready") != "1" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status.get_attribute("data-ready") == "1" and status.get_attribute("data-errors") is None
    assert int(status.get_attribute("data-reports-drawn")) > 0
    if update_golden:
        page.wait_for_selector("#verdict", timeout=60_000)
        page.screenshot(path=str(REPO / "docs" / "img" / "serve-result.png"), full_page=False)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    page.click("header a.lang")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Summary" in page.locator("main").inner_text()
    context.close()


def test_an_invalid_rule_file_shows_its_line(server, browser, tmp_path):
    rules = tmp_path / "aturan-saya.yaml"
    rules.write_text(BAD_RULES, encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/")
    page.select_option("#rules", "upload")
    page.set_input_files("#rules_file", str(rules))
    page.wait_for_selector("#rules-bad", timeout=30_000)
    problem = page.locator('li.problem[data-line="7"]')
    assert problem.count() >= 1
    text = problem.first.inner_text()
    assert "aturan-saya.yaml, baris 7" in text and "fatal" in text and "severity: fatal" in text
    assert page.locator("#submit").is_disabled()
    context.close()


def test_a_long_list_shows_its_progress_and_can_be_cancelled(server, browser):
    rows = (EXAMPLE / "laporan.csv").read_bytes().splitlines(keepends=True)
    big = rows[0] + b"".join(rows[1:]) * 250  # 65,000 rows
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/")
    page.set_input_files("#reports", files=[{"name": "panjang.csv", "mimeType": "text/csv", "buffer": big}])
    page.click("#submit")
    page.wait_for_selector("#progress-box", timeout=30_000)
    text = page.locator("#progress-text")
    page.wait_for_function(
        "() => / baris$/.test(document.getElementById('progress-text').textContent)", timeout=60_000
    )
    assert any(word in text.inner_text() for word in ("membaca", "memeriksa", "menulis"))
    page.click("#cancel")
    page.wait_for_selector("#cancelled", timeout=60_000)
    assert page.locator("#dl-xlsx[href]").count() == 0  # stopped before its last output
    context.close()


def test_twenty_browsers_at_once_each_get_their_own_result(server, browser, tmp_path):
    lines = (EXAMPLE / "laporan.csv").read_text(encoding="utf-8-sig").splitlines()
    contexts, pages = [], []
    for i in range(20):
        context = browser.new_context()
        page = context.new_page()
        page.goto(server + "/")
        rows = i + 1  # list i holds i+1 reports, so every result can be told apart
        text = "\r\n".join(lines[: rows + 1]) + "\r\n"
        # dropped on the drop zone, as an officer drags a file from the desktop
        handle = page.evaluate_handle(
            "([text, name]) => { const dt = new DataTransfer();"
            " dt.items.add(new File([text], name, {type: 'text/csv'})); return dt; }",
            [text, f"daftar-{i}.csv"],
        )
        page.dispatch_event("#drop", "drop", {"dataTransfer": handle})
        assert page.locator("#reports-name").inner_text() == f"daftar-{i}.csv"
        contexts.append(context)
        pages.append((page, rows))
    for page, _ in pages:
        page.click("#submit", no_wait_after=True)
    for page, rows in pages:
        page.wait_for_selector("#verdict, #errors, #cancelled", timeout=180_000)
        assert page.locator("#verdict").is_visible(), page.locator("main").inner_text()
        assert _counts(page)["total"] == rows
        assert page.locator("#dl-csv").get_attribute("href")
    urls = {page.url for page, _ in pages}
    assert len(urls) == 20
    for context in contexts:
        context.close()


def test_the_readme_shows_the_page_and_its_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/img/serve.png" in readme and "atribut-rules serve" in readme
    assert (REPO / "docs" / "img" / "serve.png").read_bytes().startswith(b"\x89PNG")


def test_the_server_folder_is_gone_after_it_stops():
    port = _free_port()
    app = create_app(Settings())
    root = app.state.manager.root
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 30
    while not srv.started and time.monotonic() < end:
        time.sleep(0.05)
    assert root.exists()
    srv.should_exit = True
    thread.join(30)
    assert not root.exists()
    shutil.rmtree(root, ignore_errors=True)
