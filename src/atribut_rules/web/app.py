"""The web application of ``atribut-rules serve``: a form, a job page, downloads.

Built on Starlette (see docs/web.md for why). Pages are rendered by Jinja2 with
autoescaping; their script and style come from static files, so the Content-Security-Policy
needs no ``'unsafe-inline'``. A check runs as a job (:mod:`.jobs`): the CLI itself, in a
process of its own, writing every download into the job's folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import importlib.util
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import resources
from ..errors import AtributRulesError
from ..rules.ruleset import load_rules
from ..write.texts import status_label
from .jobs import OUT_DIR, OUTPUTS, PROGRESS_FILE, Job, JobManager, read_summary
from .security import COMMON_HEADERS, LANG_COOKIE, PAGE_CSP, SESSION_COOKIE, Guard, same_origin
from .texts import LANGS, texts
from .uploads import Form, UploadRefused, read_form

MAX_LIVE_JOBS = 100
"""More jobs than this at once (waiting, running or kept) and a new one is refused (503)."""
INLINE_REPORT_BYTES = 25 * 1024**2
"""A report larger than this is linked, not shown in the page."""
DOWNLOAD_ORDER = ("csv", "xlsx", "html", "geojson", "json")
"""The officer's own sheet first."""
_SAFE_STEM = re.compile(r"[^A-Za-z0-9_-]+")
_META_CSP = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@dataclass(frozen=True)
class Settings:
    """How the server was started."""

    zones_dir: Path | None = None
    max_upload_bytes: int = 50 * 1024**2
    keep_minutes: float = 60.0
    password: str | None = None
    workers: int = 2
    open_url: str | None = None


def zone_choices(folder: Path | None) -> dict[str, Path]:
    """The zone layers of ``--zones-dir`` by file name: the only zone paths a form may name."""
    if folder is None or not folder.is_dir():
        return {}
    return {
        p.name: p.resolve()
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in (".geojson", ".json") and p.is_file()
    }


def bundled_rule_sets() -> list[dict[str, Any]]:
    """The bundled rule sets, with titles in both languages and their jurisdiction."""
    out = []
    for name in resources.bundled_rulesets():
        try:
            rs = load_rules(f"builtin:{name}")
        except AtributRulesError:
            continue
        eff = rs.effective
        out.append(
            {
                "ref": f"builtin:{name}",
                "title": dict(rs.title),
                "jurisdiction": rs.jurisdiction or "",
                "dates": f"{eff.start or ''} – {eff.end or ''}" if eff is not None else "",
            }
        )
    return out


def _xlsx_available() -> bool:
    return importlib.util.find_spec("openpyxl") is not None


def create_app(settings: Settings | None = None) -> Starlette:
    """The Starlette application for ``settings``; its jobs live until the app shuts down."""
    settings = settings or Settings()
    guard = Guard(settings.password)
    manager = JobManager(workers=settings.workers, keep_minutes=settings.keep_minutes)
    rule_sets = bundled_rule_sets()
    rule_refs = {r["ref"] for r in rule_sets}
    default_rules = "builtin:id-pemilu-2024" if "builtin:id-pemilu-2024" in rule_refs else None
    formats = tuple(fmt for fmt, _ in OUTPUTS if fmt != "xlsx" or _xlsx_available())
    env = Environment(
        loader=PackageLoader("atribut_rules.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )

    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "id"
        return lang if lang in LANGS else "id"

    def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        lang = lang_of(request)
        session = request.cookies.get(SESSION_COOKIE) or guard.new_session()
        markup = env.get_template(template).render(
            lang=lang,
            other_lang="en" if lang == "id" else "id",
            t=texts(lang),
            csrf=guard.csrf_token(session),
            **context,
        )
        response = HTMLResponse(markup, status_code=status_code)
        if request.cookies.get(SESSION_COOKIE) != session:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/")
        if request.query_params.get("lang") == lang:
            response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", path="/")
        return response

    def refuse(request: Request, status: int, key: str, wants_json: bool, detail: str = "") -> Response:
        message = texts(lang_of(request)).get(key, key).format(mb=settings.max_upload_bytes // 1024**2)
        if detail:
            message = f"{message} ({detail})"
        if wants_json:
            return JSONResponse({"error": message}, status_code=status)
        return page(request, "error.html", status_code=status, message=message)

    def post_allowed(request: Request) -> str | None:
        """The session of a POST that may go on (same origin, with a session), else None."""
        if not same_origin(request.headers, request.url.scheme, request.headers.get("host", "")):
            return None
        return request.cookies.get(SESSION_COOKIE)

    async def index(request: Request) -> Response:
        lang = lang_of(request)
        return page(
            request,
            "index.html",
            rule_sets=[
                {**r, "label": r["title"].get(lang) or r["title"].get("id") or r["ref"]} for r in rule_sets
            ],
            default_rules=default_rules,
            zone_names=list(zone_choices(settings.zones_dir)),
            max_mb=settings.max_upload_bytes // 1024**2,
        )

    async def rules_check(request: Request) -> Response:
        session = post_allowed(request)
        header_ok = guard.token_ok(session, request.headers.get("x-csrf-token"))
        if session is None:
            return refuse(request, 403, "csrf", True)
        folder = manager.new_folder()
        try:
            form = await read_form(
                request.stream(),
                request.headers.get("content-type", ""),
                folder,
                min(settings.max_upload_bytes, 4 * 1024**2),
                check_token=None if header_ok else (lambda t: guard.token_ok(session, t)),
            )
            saved = form.files.get("rules_file")
            if not saved:
                return refuse(request, 400, "no_rules_file", True)
            problems = await run_in_threadpool(_rule_problems, saved[0].path, saved[0].client_name)
            return JSONResponse({"ok": not problems, "problems": problems})
        except UploadRefused as exc:
            return refuse(request, exc.status, exc.key, True, exc.detail)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    async def create_job(request: Request) -> Response:
        wants_json = request.headers.get("x-requested-with") == "fetch"
        session = post_allowed(request)
        if session is None:
            return refuse(request, 403, "csrf", wants_json)
        header_ok = guard.token_ok(session, request.headers.get("x-csrf-token"))
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_upload_bytes:
            return refuse(request, 413, "too_large", wants_json)
        if len(manager.jobs) >= MAX_LIVE_JOBS:
            return refuse(request, 503, "busy", wants_json)
        folder = manager.new_folder()
        try:
            form = await read_form(
                request.stream(),
                request.headers.get("content-type", ""),
                folder,
                settings.max_upload_bytes,
                check_token=None if header_ok else (lambda t: guard.token_ok(session, t)),
            )
            job = await _job_from_form(form, folder, session)
        except UploadRefused as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return refuse(request, exc.status, exc.key, wants_json, exc.detail)
        manager.add(job)
        if not job.final:
            manager.start(job)
        url = f"/jobs/{job.id}"
        if wants_json:
            return JSONResponse({"job": url}, status_code=201)
        return RedirectResponse(url, status_code=303)

    async def _job_from_form(form: Form, folder: Path, session: str) -> Job:
        lang = form.text("lang", "id")
        lang = lang if lang in LANGS else "id"
        reports = form.files.get("reports")
        if not reports:
            raise UploadRefused(400, "no_reports")
        names = {}
        for files in form.files.values():
            for saved in files:
                names[saved.path.name] = saved.client_name
        argv = ["check", reports[0].path.name]
        rules = form.text("rules", default_rules or "")
        rule_lines: list[str] = []
        if rules == "upload":
            rule_file = form.files.get("rules_file")
            if not rule_file:
                raise UploadRefused(400, "no_rules_file")
            rules = rule_file[0].path.name
            problems = await run_in_threadpool(_rule_problems, rule_file[0].path, rule_file[0].client_name)
            rule_lines = [_problem_line(p, texts(lang)) for p in problems]
        elif rules not in rule_refs:
            raise UploadRefused(400, "unknown_rules")
        argv += ["--rules", rules]
        choices = zone_choices(settings.zones_dir)
        for name in form.texts.get("zones_dir", []):
            if name not in choices:
                raise UploadRefused(400, "unknown_zone")
            argv += ["--zones", str(choices[name])]
        for saved in form.files.get("zones", []):
            argv += ["--zones", saved.path.name]
        for saved in form.files.get("permits", []):
            argv += ["--permits", saved.path.name]
        if form.text("partial") == "1":
            argv.append("--partial")
        argv += ["--lang", lang, "--quiet", "--progress-file", PROGRESS_FILE, "--format", "github"]
        out = dict(OUTPUTS)
        for fmt in formats:
            argv += ["--output", f"{fmt}:{OUT_DIR}/{out[fmt]}"]
        stem = _SAFE_STEM.sub("_", Path(reports[0].client_name).stem).strip("_")[:60] or "daftar"
        job = Job(
            id=manager.new_id(),
            session=session,
            folder=folder,
            argv=argv,
            lang=lang,
            names=names,
            download_stem=stem,
            formats=formats,
        )
        if rule_lines:
            manager.fail(job, rule_lines)
        return job

    def job_of(request: Request) -> Job | None:
        return manager.get(request.path_params["job_id"], request.cookies.get(SESSION_COOKIE))

    def status_of(job: Job) -> dict[str, Any]:
        progress = job.progress() if job.state == "running" else {}
        ready = job.ready()
        return {
            "state": job.state,
            "final": job.final,
            "position": manager.queue_position(job),
            "stage": progress.get("stage"),
            "file": progress.get("file", ""),
            "done": progress.get("done", 0),
            "total": progress.get("total"),
            "ready": ready,
            "summary_ready": "json" in ready,
            "report_ready": "html" in ready,
            "exit_code": job.exit_code,
        }

    async def job_page(request: Request) -> Response:
        job = job_of(request)
        if job is None:
            return page(request, "error.html", status_code=404, message=texts(lang_of(request))["not_found"])
        status = status_of(job)
        lang = lang_of(request)
        summary = None
        if status["summary_ready"]:
            summary = await run_in_threadpool(read_summary, job.folder / OUT_DIR / dict(OUTPUTS)["json"])
        counts = []
        if summary:
            by_status = summary.get("by_status", {})
            counts = [(s, status_label(lang, s), by_status.get(s, 0)) for s in by_status]
        report = job.output("html")
        return page(
            request,
            "job.html",
            job=job,
            status=status,
            summary=summary,
            counts=counts,
            downloads=[(fmt, fmt in status["ready"]) for fmt in DOWNLOAD_ORDER if fmt in job.formats],
            report_inline=report is not None and report.stat().st_size <= INLINE_REPORT_BYTES,
        )

    async def job_status(request: Request) -> Response:
        job = job_of(request)
        if job is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse(status_of(job))

    async def _posted_job(request: Request) -> Job | Response:
        session = post_allowed(request)
        token = request.headers.get("x-csrf-token")
        if token is None:
            form = await request.form(max_files=0, max_fields=5)
            token = str(form.get("csrf", ""))
        if not guard.token_ok(session, token):
            return refuse(request, 403, "csrf", True)
        job = job_of(request)
        if job is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return job

    async def cancel_job(request: Request) -> Response:
        job = await _posted_job(request)
        if isinstance(job, Response):
            return job
        manager.cancel(job)
        return JSONResponse(status_of(job))

    async def close_job(request: Request) -> Response:
        job = await _posted_job(request)
        if isinstance(job, Response):
            return job
        manager.close(job)
        return Response(status_code=204)

    async def report(request: Request) -> Response:
        job = job_of(request)
        path = job.output("html") if job is not None else None
        if path is None:
            return Response("not found", status_code=404, media_type="text/plain")
        with open(path, "rb") as f:
            head = f.read(8192)
        found = _META_CSP.search(head)
        policy = html.unescape(found.group(1).decode("ascii", "replace")) if found else "default-src 'none'"
        headers = {
            "Content-Security-Policy": f"{policy}; frame-ancestors 'self'; sandbox allow-scripts",
            "X-Frame-Options": "SAMEORIGIN",
        }
        return FileResponse(path, media_type="text/html; charset=utf-8", headers=headers)

    async def download(request: Request) -> Response:
        job = job_of(request)
        fmt = request.path_params["fmt"]
        path = job.output(fmt) if job is not None else None
        if job is None or path is None:
            return Response("not found", status_code=404, media_type="text/plain")
        suffix = ".xlsx" if fmt == "xlsx" else f".{fmt}"
        name = f"{job.download_stem}-{'periksa' if job.lang == 'id' else 'checked'}{suffix}"
        media = {
            "csv": "text/csv; charset=utf-8",
            "json": "application/json",
            "geojson": "application/geo+json",
            "html": "text/html; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[fmt]
        return FileResponse(
            path,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):  # type: ignore[no-untyped-def]
        sweeper = asyncio.get_running_loop().create_task(manager.sweep_forever())
        await manager.warm_up()
        if settings.open_url:
            import webbrowser

            asyncio.get_running_loop().run_in_executor(None, webbrowser.open, settings.open_url)
        try:
            yield
        finally:
            sweeper.cancel()
            await manager.shutdown()

    routes = [
        Route("/", index),
        Route("/rules/check", rules_check, methods=["POST"]),
        Route("/jobs", create_job, methods=["POST"]),
        Route("/jobs/{job_id}", job_page),
        Route("/jobs/{job_id}/status", job_status),
        Route("/jobs/{job_id}/cancel", cancel_job, methods=["POST"]),
        Route("/jobs/{job_id}/close", close_job, methods=["POST"]),
        Route("/jobs/{job_id}/report", report),
        Route("/jobs/{job_id}/download/{fmt}", download),
        Mount("/static", app=StaticFiles(packages=[("atribut_rules.web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.manager = manager
    app.state.guard = guard
    return SecurityHeaders(app, guard)  # type: ignore[return-value]


def _rule_problems(path: Path, client_name: str) -> list[dict[str, Any]]:
    """The problems of a rule file, each with its line's text, as the page shows them."""
    from ..rules.lint import validate_file

    problems = validate_file(path, ())
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    out = []
    for _, line, column, message in problems:
        text = lines[line - 1] if line and 0 < line <= len(lines) else ""
        out.append(
            {
                "file": client_name,
                "line": line,
                "column": column,
                "message": message.replace(path.name, client_name),
                "text": text[:300],
            }
        )
    return out


def _problem_line(problem: dict[str, Any], t: dict[str, str]) -> str:
    where = [problem["file"]]
    if problem["line"]:
        where.append(f"{t['line']} {problem['line']}")
    if problem["column"]:
        where.append(f"{t['column']} {problem['column']}")
    return f"{', '.join(where)}: {problem['message']}"


class SecurityHeaders:
    """ASGI middleware: the password (when set) on every request, and strict headers on every answer."""

    def __init__(self, app: Starlette, guard: Guard) -> None:
        self.app, self.guard = app, guard
        self.state = app.state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.guard.has_password:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            if not self.guard.password_ok(headers.get("authorization")):
                response = Response(
                    "password needed / kata sandi diperlukan\n",
                    status_code=401,
                    media_type="text/plain; charset=utf-8",
                    headers={
                        "WWW-Authenticate": 'Basic realm="atribut-rules", charset="UTF-8"',
                        **COMMON_HEADERS,
                    },
                )
                await response(scope, receive, send)
                return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in COMMON_HEADERS.items()
                    if k.lower().encode() not in present
                ]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", PAGE_CSP.encode()))
                if b"x-frame-options" not in present:
                    extra.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
