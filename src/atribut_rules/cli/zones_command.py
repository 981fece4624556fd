"""``atribut-rules zones``: build zone layers from map data, or list the bundled mappings.

``atribut-rules zones build SOURCE... --map MAPPING -o zones.geojson`` writes a
FeatureCollection and prints, on stderr, one line per problem (file, feature id)
and the counts per category. Exit 0: written, nothing left out; 1: written, but
features were left out for errors; 2: nothing usable (bad mapping or source, or
no feature came out).
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from ..errors import AtributRulesError, Text
from ..zonebuild import build_zones, bundled_mappings, load_mapping, write_zones
from .console import add_lang_argument, text_line

NAME = "zones"

EXIT_OK = 0
EXIT_LEFT_OUT = 1
EXIT_UNUSABLE = 2


def register(subparsers: Any) -> None:
    """Add the ``zones`` subcommand to the CLI's subparsers."""
    p = subparsers.add_parser(
        NAME,
        help="build zone layers from OSM or gazetteer data",
        description="Build zone layers from map data.",
    )
    sub = p.add_subparsers(dest="zones_command", metavar="ACTION")
    b = sub.add_parser(
        "build",
        help="turn OSM or gazetteer files into one zone layer",
        description="Turn OSM exports (GeoJSON, .osm.pbf) or gazetteers (GeoJSON, CSV) into a zone layer.",
    )
    b.add_argument("sources", nargs="+", metavar="SOURCE", help=".geojson, .csv, or .osm.pbf (extra 'osm')")
    b.add_argument(
        "--map",
        required=True,
        dest="mapping",
        metavar="MAPPING",
        help="mapping file, or builtin:osm / builtin:id-gazetteer",
    )
    b.add_argument("-o", "--output", required=True, help="zone layer to write (GeoJSON); '-' for stdout")
    b.add_argument(
        "--repair", action="store_true", help="make invalid polygons valid instead of leaving them out"
    )
    b.add_argument("--quiet", action="store_true", help="print only errors and the totals")
    add_lang_argument(b, "language of the lines on stderr")
    m = sub.add_parser("mappings", help="list the bundled mappings")
    add_lang_argument(m, "language of errors")


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Run ``zones build`` or ``zones mappings``; return the exit code."""
    if args.zones_command == "mappings":
        for name in bundled_mappings():
            m = load_mapping(f"builtin:{name}")
            stdout.write(f"builtin:{name}\t{m.title.get('en', '')}\t{', '.join(m.categories)}\n")
        return EXIT_OK
    if args.zones_command != "build":
        raise AtributRulesError(Text("cli.zones_needs_action_build"))
    result = build_zones(args.sources, args.mapping, repair=args.repair)
    for p in result.problems:
        if args.quiet and p.level != "error":
            continue
        stderr.write(f"atribut-rules: {p.line(args.lang)}\n")
    lang = args.lang
    if not result.collection["features"]:
        stderr.write(text_line(Text("cli.no_zone_features"), lang))
        return EXIT_UNUSABLE
    if args.output == "-":
        write_zones(result.collection, stdout)
    else:
        _write_atomically(Path(args.output), result.collection)
    total = sum(result.counts.values())
    built = Text(
        "cli.zones_built",
        records=result.records,
        total=total,
        counts=", ".join(f"{c} {n}" for c, n in result.counts.items()),
        excluded=sum(result.excluded.values()),
        unmatched=result.unmatched,
        errors=len(result.errors),
    )
    stderr.write(f"atribut-rules: {built.render(lang)}\n")
    if result.excluded and not args.quiet:
        for reason, n in result.excluded.items():
            stderr.write(f"atribut-rules: {Text('cli.zones_excluded', n=n, reason=reason).render(lang)}\n")
    if result.unmatched_classes and not args.quiet:
        top = list(result.unmatched_classes.items())
        shown = ", ".join(f"{k} {v}" for k, v in top[:15])
        more = Text("cli.zones_more_classes", count=len(top) - 15) if len(top) > 15 else ""
        line = Text("cli.zones_unmatched_classes", shown=shown, more=more)
        stderr.write(f"atribut-rules: {line.render(lang)}\n")
    return EXIT_LEFT_OUT if result.errors else EXIT_OK


def _write_atomically(path: Path, collection: dict) -> None:
    buffer = io.StringIO()
    write_zones(collection, buffer)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(buffer.getvalue())
        os.replace(tmp, path)
    except OSError as exc:
        raise AtributRulesError(
            Text("cli.cannot_write_zone_layer", strerror=exc.strerror), file=str(path)
        ) from None
