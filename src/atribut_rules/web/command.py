"""``atribut-rules serve``: the web page for officers who work in a browser, not a terminal.

Needs the ``web`` extra (Starlette, uvicorn, Jinja2, python-multipart); this module imports
none of them until the command runs, so the rest of the CLI works without them.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
from pathlib import Path
from typing import IO, Any

from ..errors import AtributRulesError, MissingExtraError, Text

NAME = "serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
PASSWORD_ENV = "ATRIBUT_RULES_PASSWORD"


def register(subparsers: Any) -> None:
    """Add the ``serve`` subcommand to the CLI's subparsers."""
    p = subparsers.add_parser(
        NAME,
        help="serve a web page for checking lists in a browser (extra: web)",
        description="Serve a web page on this machine where a list can be uploaded and checked "
        "(the same check as `atribut-rules check`). See docs/web.md.",
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; another address "
        "lets other machines in, with a warning)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--open", action="store_true", help="open the page in the browser")
    p.add_argument("--zones-dir", metavar="DIR", help="a folder of zone layers (GeoJSON) offered on the page")
    p.add_argument(
        "--max-upload-mb", type=int, default=50, metavar="MB", help="largest upload accepted (default 50)"
    )
    p.add_argument(
        "--keep-minutes",
        type=float,
        default=60,
        metavar="MIN",
        help="delete a job's files when its page has not been looked at for MIN minutes (default 60); "
        "they also go when the page is closed and when the server stops",
    )
    p.add_argument(
        "--password",
        help=f"ask every visitor for this password (HTTP Basic; any user name); also read from "
        f"${PASSWORD_ENV}, which keeps it out of the process list",
    )
    p.add_argument(
        "--workers", type=int, default=2, metavar="N", help="checks that run at once; others wait (default 2)"
    )


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Serve until interrupted; return the exit code."""
    missing = [m for m in ("starlette", "uvicorn", "jinja2", "python_multipart") if not _has(m)]
    if missing:
        raise MissingExtraError(
            Text("web.needs_extra" if len(missing) == 1 else "web.needs_extras", names=", ".join(missing)),
            hint=Text("web.install_extra_hint"),
        )
    for option, value in (
        ("--port", args.port),
        ("--max-upload-mb", args.max_upload_mb),
        ("--workers", args.workers),
    ):
        if value <= 0 or (option == "--port" and value > 65535):
            raise AtributRulesError(
                Text("web.option_out_of_range", option=option, value=value),
                hint=Text("web.give_positive_hint", option=option),
            )
    if args.keep_minutes <= 0:
        raise AtributRulesError(Text("web.keep_minutes_not_positive", value=args.keep_minutes))
    zones_dir = Path(args.zones_dir).resolve() if args.zones_dir else None
    if zones_dir is not None and not zones_dir.is_dir():
        raise AtributRulesError(Text("web.no_zones_dir", folder=args.zones_dir))

    import uvicorn

    from .app import Settings, create_app
    from .security import is_loopback

    host_in_url = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host_in_url}:{args.port}/"
    password = args.password or os.environ.get(PASSWORD_ENV) or None
    if not is_loopback(args.host):
        stderr.write(
            f"atribut-rules: warning: listening on {args.host}: other machines that can reach it may use "
            f"the page{'' if password else '; consider --password'}\n"
        )
    settings = Settings(
        zones_dir=zones_dir,
        max_upload_bytes=args.max_upload_mb * 1024**2,
        keep_minutes=args.keep_minutes,
        password=password,
        workers=args.workers,
        open_url=url if args.open else None,
    )
    app = create_app(settings)
    stderr.write(f"atribut-rules: serving on {url} (Ctrl-C stops it)\n")
    stderr.flush()
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        server_header=False,
        date_header=False,
        h11_max_incomplete_event_size=64 * 1024,
        limit_concurrency=200,
    )
    try:
        uvicorn.Server(config).run()
    finally:  # the app removes its folder when it stops; this covers a server that never started
        shutil.rmtree(app.state.manager.root, ignore_errors=True)
    return 0


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
