"""``atribut-rules serve`` over HTTP (Starlette's TestClient): the downloads are the CLI's own
bytes, and the page is safe on a shared machine (CSRF, upload cap, client names never used
as paths, jobs cleaned up, password, strict headers)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("jinja2")
pytest.importorskip("python_multipart")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

from atribut_rules import resources  # noqa: E402
from atribut_rules.cli import main  # noqa: E402
from atribut_rules.web.app import Settings, create_app  # noqa: E402
from atribut_rules.web.jobs import CLOSE_GRACE_SECONDS, OUTPUTS, read_summary  # noqa: E402

EXAMPLE = resources.example_dir()
ZONES = sorted(p.name for p in EXAMPLE.glob("*.geojson"))
BAD_RULES = b"""\
ruleset:
  id: bad-set
  version: "1"
  title: {id: Aturan rusak, en: Broken rules}
rules:
  - id: R1
    severity: fatal
    when: {category: tree}
"""


def _client(**settings) -> TestClient:
    return TestClient(create_app(Settings(zones_dir=EXAMPLE, **settings)))


def _token(client: TestClient) -> str:
    page = client.get("/")
    assert page.status_code == 200
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def _example_files(name: str = "laporan.csv", content: bytes | None = None) -> list:
    reports = content if content is not None else (EXAMPLE / "laporan.csv").read_bytes()
    return [
        ("reports", (name, reports, "text/csv")),
        ("permits", ("izin.csv", (EXAMPLE / "izin.csv").read_bytes(), "text/csv")),
    ]


def _form(token: str, **extra) -> dict:
    return {"csrf": token, "rules": "builtin:id-pemilu-2024", "lang": "id", "zones_dir": ZONES, **extra}


def _submit(client: TestClient, token: str, files=None, **extra):
    return client.post(
        "/jobs",
        data=_form(token, **extra),
        files=files if files is not None else _example_files(),
        headers={"x-requested-with": "fetch"},
    )


def _wait(client: TestClient, url: str, timeout: float = 60) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = client.get(url + "/status").json()
        if status["final"]:
            return status
        time.sleep(0.1)
    raise AssertionError(f"{url} did not finish: {status}")


def _job_folders(client: TestClient) -> list[Path]:
    return sorted(p for p in client.app.state.manager.root.iterdir() if p.is_dir())


def _cli_outputs(tmp_path: Path, lang: str = "id") -> dict[str, bytes]:
    """What the CLI itself writes for the example, given the same arguments as a web job."""
    work = tmp_path / "cli"
    (work / "out").mkdir(parents=True)
    shutil.copy(EXAMPLE / "laporan.csv", work / "reports.csv")
    shutil.copy(EXAMPLE / "izin.csv", work / "permits-01.csv")
    argv = ["check", "reports.csv", "--rules", "builtin:id-pemilu-2024"]
    for name in ZONES:
        argv += ["--zones", str((EXAMPLE / name).resolve())]
    argv += ["--permits", "permits-01.csv", "--lang", lang, "--quiet", "--format", "github"]
    for fmt, name in OUTPUTS:
        argv += ["--output", f"{fmt}:out/{name}"]
    done = subprocess.run([sys.executable, "-m", "atribut_rules", *argv], cwd=work, capture_output=True)
    assert done.returncode == 1, done.stderr
    return {fmt: (work / "out" / name).read_bytes() for fmt, name in OUTPUTS}


def test_every_download_is_the_clis_own_bytes(tmp_path):
    expected = _cli_outputs(tmp_path)
    with _client() as client:
        created = _submit(client, _token(client))
        assert created.status_code == 201, created.text
        url = created.json()["job"]
        status = _wait(client, url)
        assert status["state"] == "done" and status["exit_code"] == 1
        assert set(status["ready"]) == set(expected)
        for fmt, data in expected.items():
            got = client.get(f"{url}/download/{fmt}")
            assert got.status_code == 200
            assert got.content == data, fmt
        page = client.get(url).text
        counts = dict(re.findall(r'data-status="(\w+)">(\d+)<', page))
        summary = json.loads(expected["json"])["summary"]
        assert int(counts["total"]) == summary["reports"] == 260
        assert {k: int(v) for k, v in counts.items() if k != "total"} == summary["by_status"]
        disposition = client.get(f"{url}/download/csv").headers["content-disposition"]
        assert disposition == 'attachment; filename="laporan-periksa.csv"'


def test_a_post_without_the_sessions_token_is_refused_and_writes_nothing():
    with _client() as client:
        token = _token(client)
        assert _submit(client, "0" * 64).status_code == 403
        no_token = client.post("/jobs", data={"rules": "builtin:id-pemilu-2024"}, files=_example_files())
        assert no_token.status_code == 403
        cross_site = client.post(
            "/jobs",
            data=_form(token),
            files=_example_files(),
            headers={"origin": "http://evil.example", "x-requested-with": "fetch"},
        )
        assert cross_site.status_code == 403
        other = TestClient(client.app)  # another browser: its own session, so the token is not its own
        assert _submit(other, token).status_code == 403
        assert _job_folders(client) == [] and client.app.state.manager.jobs == {}
        assert client.post("/rules/check", files={"rules_file": ("r.yaml", BAD_RULES)}).status_code == 403


def test_a_job_belongs_to_its_session():
    with _client() as client:
        url = _submit(client, _token(client)).json()["job"]
        _wait(client, url)
        stranger = TestClient(client.app)
        _token(stranger)
        assert stranger.get(url).status_code == 404
        assert stranger.get(url + "/download/csv").status_code == 404
        assert stranger.get(url + "/status").status_code == 404
        assert client.get(url + "/download/csv").status_code == 200


def test_an_upload_past_the_cap_is_refused_while_it_streams():
    with _client(max_upload_bytes=20_000) as client:
        token = _token(client)
        big = (EXAMPLE / "laporan.csv").read_bytes() * 2
        assert _submit(client, token, files=_example_files(content=big)).status_code == 413
        boundary = "----cap"

        def body():  # chunked, no Content-Length: the server must count as it reads
            yield (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="reports"; filename="a.csv"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            for _ in range(1000):
                yield b"x" * 1000

        refused = client.post(
            "/jobs",
            content=body(),
            headers={
                "content-type": f"multipart/form-data; boundary={boundary}",
                "x-requested-with": "fetch",
            },
        )
        assert refused.status_code == 413
        assert "--max-upload-mb" in refused.json()["error"]
        assert _job_folders(client) == [] and client.app.state.manager.jobs == {}


def test_client_file_names_never_reach_the_file_system(tmp_path):
    with _client() as client:
        token = _token(client)
        files = [
            ("reports", ("../../../../tmp/evil.csv", (EXAMPLE / "laporan.csv").read_bytes(), "text/csv")),
            ("zones", ("/etc/passwd.geojson", (EXAMPLE / "trees.geojson").read_bytes(), "application/json")),
            ("permits", ("..\\..\\izin.csv", (EXAMPLE / "izin.csv").read_bytes(), "text/csv")),
        ]
        created = _submit(client, token, files=files, zones_dir=[z for z in ZONES if z != "trees.geojson"])
        url = created.json()["job"]
        assert _wait(client, url)["state"] == "done"
        (folder,) = _job_folders(client)
        assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [
            "permits-01.csv",
            "progress.json",
            "reports.csv",
            "stderr.txt",
            "zones-01.geojson",
        ]
        assert not Path("/tmp/evil.csv").exists()
        assert client.get(url + "/download/csv").headers["content-disposition"].endswith('"evil-periksa.csv"')
        # a zone layer is named by the server's own list, never by a path
        refused = _submit(client, token, zones_dir=["../../etc/passwd"])
        assert refused.status_code == 400
        assert _submit(client, token, rules="/etc/passwd").status_code == 400
        odd = _submit(client, token, files=[("reports", ("x.exe", b"MZ", "application/octet-stream"))])
        assert odd.status_code == 415 and "CSV" in odd.json()["error"]
        assert len(_job_folders(client)) == 1


def test_a_closed_page_or_an_old_job_is_deleted():
    with _client(keep_minutes=1) as client:
        token = _token(client)
        manager = client.app.state.manager
        first = _submit(client, token).json()["job"]
        second = _submit(client, token).json()["job"]
        _wait(client, first), _wait(client, second)
        assert len(_job_folders(client)) == 2
        assert client.post(first + "/close", data={"csrf": token}).status_code == 204
        assert client.post(second + "/close", data={"csrf": "wrong"}).status_code == 403
        now = time.monotonic()
        assert asyncio.run(manager.sweep(now)) == 0  # a reload within the grace keeps it
        assert asyncio.run(manager.sweep(now + CLOSE_GRACE_SECONDS + 1)) == 1
        assert len(_job_folders(client)) == 1 and client.get(first).status_code == 404
        assert asyncio.run(manager.sweep(now + 61)) == 1  # --keep-minutes 1
        assert _job_folders(client) == []
        root = manager.root
        third = _submit(client, token).json()["job"]
        _wait(client, third)
    assert not root.exists(), "the server's folder outlives it"


def test_cancel_a_waiting_job():
    with _client(workers=1) as client:
        token = _token(client)
        urls = [_submit(client, token).json()["job"] for _ in range(3)]
        cancelled = client.post(urls[2] + "/cancel", headers={"x-csrf-token": token})
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
        assert [_wait(client, u)["state"] for u in urls] == ["done", "done", "cancelled"]
        assert client.get(urls[2] + "/download/csv").status_code == 404
        assert client.post(urls[0] + "/cancel").status_code == 403


def test_cancel_a_running_job(tmp_path):
    rows = (EXAMPLE / "laporan.csv").read_bytes().splitlines(keepends=True)
    big = rows[0] + b"".join(rows[1:]) * 150  # 39,000 rows: long enough to stop half-way
    with _client(workers=1) as client:
        token = _token(client)
        url = _submit(client, token, files=_example_files(content=big)).json()["job"]
        end = time.monotonic() + 30
        while client.get(url + "/status").json()["state"] != "running" and time.monotonic() < end:
            time.sleep(0.05)
        assert client.post(url + "/cancel", headers={"x-csrf-token": token}).json()["state"] == "cancelled"
        status = _wait(client, url)
        assert status["state"] == "cancelled" and status["exit_code"] in (143, -15), json.dumps(status)
        assert "cancelled" in client.get(url).text


def test_an_invalid_rule_file_shows_its_problem_at_its_line():
    with _client() as client:
        token = _token(client)
        checked = client.post(
            "/rules/check", data={"csrf": token}, files={"rules_file": ("aturan-saya.yaml", BAD_RULES)}
        )
        assert checked.status_code == 200
        result = checked.json()
        assert result["ok"] is False
        problem = next(p for p in result["problems"] if p["line"] == 7)
        assert problem["file"] == "aturan-saya.yaml" and "severity" in problem["text"]
        assert "fatal" in problem["message"]
        files = [*_example_files(), ("rules_file", ("aturan-saya.yaml", BAD_RULES, "application/yaml"))]
        url = _submit(client, token, files=files, rules="upload").json()["job"]
        assert _wait(client, url)["state"] == "failed"
        page = client.get(url).text
        assert "aturan-saya.yaml, baris 7" in page
        assert _job_folders(client)  # kept, to show; deleted with the page
        good = client.post(
            "/rules/check",
            data={"csrf": token},
            files={"rules_file": ("ok.yaml", (resources.rules_dir() / "id-pemilu-2024.yaml").read_bytes())},
        )
        assert good.json() == {"ok": True, "problems": []}


def test_an_unusable_list_says_why_in_the_officers_own_file_name():
    with _client() as client:
        token = _token(client)
        files = _example_files(name="Daftar Lapangan.csv", content=b"")
        url = _submit(client, token, files=files).json()["job"]
        status = _wait(client, url)
        assert status["state"] == "failed" and status["exit_code"] == 2
        page = client.get(url).text
        assert "Daftar Lapangan.csv" in page and "reports.csv" not in page
        assert "langkah 3 (lapisan zona)" in page  # what the CLI's options are on this page


def test_the_password_is_asked_for_every_request():
    with _client(password="rahasia kantor") as client:
        assert client.get("/").status_code == 401
        assert client.get("/static/app.css").status_code == 401
        assert "Basic" in client.get("/").headers["www-authenticate"]
        wrong = base64.b64encode(b"petugas:salah").decode()
        assert client.get("/", headers={"authorization": f"Basic {wrong}"}).status_code == 401
        right = base64.b64encode(b"petugas:rahasia kantor").decode()
        client.headers["authorization"] = f"Basic {right}"
        assert client.get("/").status_code == 200


def test_pages_carry_a_strict_policy_and_two_languages():
    with _client() as client:
        page = client.get("/")
        policy = page.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy and page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "<script>" not in page.text and " style=" not in page.text
        assert '<html lang="id">' in page.text and "Daftar laporan" in page.text
        english = client.get("/?lang=en")
        assert '<html lang="en">' in english.text and "List of reports" in english.text
        assert '<html lang="en">' in client.get("/").text  # remembered
        assert "Kota Pangkalpinang" in page.text or "Pangkalpinang" in page.text


def test_the_report_frame_runs_only_its_own_script_sandboxed():
    with _client() as client:
        url = _submit(client, _token(client)).json()["job"]
        _wait(client, url)
        report = client.get(url + "/report")
        policy = report.headers["content-security-policy"]
        assert "sandbox allow-scripts" in policy and "frame-ancestors 'self'" in policy
        assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", policy)


def test_progress_file_holds_the_counts(tmp_path):
    progress = tmp_path / "progress.json"
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check", "--example", "--progress-file", str(progress), "-o", f"csv:{tmp_path / 'x.csv'}"], out, err
    )
    assert code == 1, err.getvalue()
    state = json.loads(progress.read_text())
    assert state == {"stage": "write", "file": "x.csv", "done": 260, "total": 260, "estimated": False}
    assert err.getvalue() == ""


def test_read_summary_reads_only_the_head(tmp_path):
    path = tmp_path / "v.json"
    out = io.StringIO()
    assert main(["check", "--example", "--format", "json", "-q"], out, io.StringIO()) == 1
    path.write_text(out.getvalue())
    assert read_summary(path) == json.loads(out.getvalue())["summary"]


def test_serve_warns_when_listening_beyond_this_machine(monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    started = []
    monkeypatch.setattr(
        uvicorn.Server,
        "run",
        lambda self: started.append((self.config.host, self.config.app.guard.has_password)),
    )
    err = io.StringIO()
    assert main(["serve", "--host", "0.0.0.0", "--port", "8099"], io.StringIO(), err) == 0
    assert started == [("0.0.0.0", False)] and "warning: listening on 0.0.0.0" in err.getvalue()
    assert "consider --password" in err.getvalue()
    monkeypatch.setenv("ATRIBUT_RULES_PASSWORD", "rahasia")
    err = io.StringIO()
    assert main(["serve", "--host", "192.168.1.10"], io.StringIO(), err) == 0
    assert (
        "warning: listening on 192.168.1.10" in err.getvalue() and "consider --password" not in err.getvalue()
    )
    assert started[-1] == ("192.168.1.10", True)
    monkeypatch.delenv("ATRIBUT_RULES_PASSWORD")
    err = io.StringIO()
    assert main(["serve"], io.StringIO(), err) == 0
    assert "warning" not in err.getvalue() and "http://127.0.0.1:8080/" in err.getvalue()
    assert main(["serve", "--zones-dir", "/no/such/folder"], io.StringIO(), io.StringIO()) == 2


def _example_rows(n: int) -> tuple[list[str], list[list[str]]]:
    import csv

    with open(EXAMPLE / "laporan.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    return rows[0], rows[1 : n + 1]


def _write_list(path: Path, fmt: str, n: int = 30) -> None:
    """The example's first ``n`` rows as an XLSX, JSON Lines or GeoJSON list."""
    header, rows = _example_rows(n)

    def number(text: str) -> float | None:
        return float(text.replace(",", ".")) if text else None

    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return
    records = [dict(zip(header, row)) for row in rows]
    if fmt == "jsonl":
        for record in records:
            record["lintang"], record["bujur"] = number(record["lintang"]), number(record["bujur"])
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        return
    features = []
    for record in records:
        lat, lon = number(record.pop("lintang")), number(record.pop("bujur"))
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": record})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["xlsx", "jsonl", "geojson"])
def test_every_list_format_gives_the_clis_sheet(tmp_path, fmt):
    source = tmp_path / f"daftar.{fmt}"
    _write_list(source, fmt)
    expected = tmp_path / "expected.csv"
    argv = ["check", str(source), "--permits", str(EXAMPLE / "izin.csv"), "-q", "-o", f"csv:{expected}"]
    for name in ZONES:
        argv += ["--zones", str(EXAMPLE / name)]
    err = io.StringIO()
    assert main(argv, io.StringIO(), err) in (0, 1), err.getvalue()
    with _client() as client:
        files = [
            ("reports", (source.name, source.read_bytes(), "application/octet-stream")),
            ("permits", ("izin.csv", (EXAMPLE / "izin.csv").read_bytes(), "text/csv")),
        ]
        url = _submit(client, _token(client), files=files).json()["job"]
        status = _wait(client, url)
        assert status["state"] == "done", client.get(url).text
        assert client.get(url + "/download/csv").content == expected.read_bytes()
        assert 'data-status="total">30<' in client.get(url).text


def test_the_form_works_without_script():
    with _client() as client:
        posted = client.post(
            "/jobs", data=_form(_token(client)), files=_example_files(), follow_redirects=False
        )
        assert posted.status_code == 303
        url = posted.headers["location"]
        assert re.fullmatch(r"/jobs/[A-Za-z0-9_-]{24}", url)
        first = client.get(url).text
        assert _wait(client, url)["state"] == "done"
        if 'data-final="0"' in first:  # still running when first shown: it refreshes itself
            assert '<noscript><meta http-equiv="refresh"' in first
        assert "<noscript>" not in client.get(url).text
