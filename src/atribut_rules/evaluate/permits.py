"""Permits and exemptions: a finding covered by a permit valid on the day is ``exempt``.

A permit names the rules it covers (all when absent or ``*``) and a scope; every
scope part given must match: report ids, a location with a radius, a zone id
(the report lies in that zone, or the finding's zone is it), a party. It is
valid from ``valid_from`` to ``valid_to``, both days included. Permits come from
a rule set's ``exemptions`` or from a permits file (YAML or CSV) given to
:func:`load_permits`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from .. import resources
from ..errors import AtributRulesError, InputError, Text
from ..read.inputfiles import read_input
from ..read.json_text import as_text, first_non_text
from ..table.fields import canonical_field
from ..table.parse import parse_number


@dataclass(frozen=True)
class Permit:
    """One permit or exemption. ``rules`` None means every rule; scope parts None mean "any"."""

    id: str
    rules: frozenset[str] | None
    reports: frozenset[str] | None
    lon: float | None
    lat: float | None
    radius_m: float | None
    zone: str | None
    party: str | None
    reason: str
    issuer: str
    valid_from: _dt.date | None
    valid_to: _dt.date | None
    source_file: str | None = None
    source_sha256: str | None = None

    def covers_rule(self, rule_id: str) -> bool:
        """Whether this permit names ``rule_id`` (or all rules)."""
        return self.rules is None or rule_id in self.rules

    def valid_on(self, day: _dt.date) -> bool:
        """Whether the permit is in force on ``day`` (first and last day included)."""
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_to is None or day <= self.valid_to
        )

    def span(self) -> str:
        """The validity as text, e.g. ``2024-01-01..2024-01-31``."""
        return f"{self.valid_from or '…'}..{self.valid_to or '…'}"


def _permit_schema() -> dict[str, Any]:
    schema = resources.schema("ruleset-1.json")
    return {"$defs": schema["$defs"], "$ref": "#/$defs/permit"}


def permit_from_mapping(
    data: Mapping[str, Any], *, file: str, where: str | Text, line: int | None = None
) -> Permit:
    """Validate one permit mapping (the rule file's ``exemptions`` format) and build it.

    Text that is not Unicode (a lone surrogate) is refused, and so is a permit that names
    no scope at all (every rule, every report, anywhere, any zone, any party): it would
    exempt every finding of every report. ``line`` is where the permit starts, when known.
    """
    bad = first_non_text(dict(data))
    if bad is not None:
        raise InputError(
            Text("permits.not_valid_unicode_text", where=where, bad=bad),
            file=file,
            line=line,
            field=bad,
            hint=Text("permits.write_text_again_hint"),
        )
    errors = sorted(jsonschema.Draft202012Validator(_permit_schema()).iter_errors(dict(data)), key=str)
    if errors:
        error = jsonschema.exceptions.best_match(errors)
        path = ".".join(str(p) for p in error.absolute_path)
        raise InputError(
            Text(
                "permits.schema",
                where=where,
                value=path + ": " if path else "",
                schema_message=_schema_message(error),
            ),
            file=file,
            line=line,
            field=path or None,
        )
    valid = data.get("valid") or {}
    start = data.get("valid_from", valid.get("from"))
    end = data.get("valid_to", valid.get("to"))
    try:
        start_d = _dt.date.fromisoformat(start) if start else None
        end_d = _dt.date.fromisoformat(end) if end else None
    except ValueError as exc:
        raise InputError(
            Text("permits.bad_dates", where=where, exc=_cut(str(exc))), file=file, line=line, field="valid"
        ) from None
    if start_d and end_d and start_d > end_d:
        raise InputError(
            Text("permits.valid_before_valid_from", where=where), file=file, line=line, field="valid_to"
        )
    rules = data.get("rules")
    loc = data.get("location")
    if (not rules or "*" in rules) and not (
        data.get("reports") or loc or data.get("zone") or data.get("party")
    ):
        raise InputError(
            Text("permits.names_no_scope_would", where=where),
            file=file,
            line=line,
            field="rules",
            hint=Text("permits.name_rules_covers_reports_hint"),
        )
    return Permit(
        id=str(data["id"]),
        rules=None if not rules or "*" in rules else frozenset(rules),
        reports=frozenset(str(r) for r in data["reports"]) if data.get("reports") else None,
        lon=loc["lon"] if loc else None,
        lat=loc["lat"] if loc else None,
        radius_m=loc["radius_m"] if loc else None,
        zone=data.get("zone"),
        party=data.get("party"),
        reason=data.get("reason", ""),
        issuer=data.get("issuer", ""),
        valid_from=start_d,
        valid_to=end_d,
    )


def permits_from_mappings(
    items: Iterable[Mapping[str, Any]], *, file: str, lines: Sequence[int] | None = None
) -> tuple[Permit, ...]:
    """Build permits from mappings, refusing duplicate ids; ``lines`` are where they start."""
    permits: list[Permit] = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        line = lines[n - 1] if lines is not None else None
        if not isinstance(item, Mapping):
            raise InputError(Text("permits.permit_not_mapping", n=n), file=file, line=line)
        name = item.get("id")
        label = _cut(repr(as_text(name) if isinstance(name, str) else name), 100)
        permit = permit_from_mapping(
            item, file=file, where=Text("permits.where", n=n, label=label), line=line
        )
        if permit.id in seen:
            raise InputError(
                Text("permits.duplicate_permit_id", id=_cut(repr(permit.id))),
                file=file,
                line=line,
                field="id",
            )
        seen.add(permit.id)
        permits.append(permit)
    return tuple(permits)


MAX_PERMITS_BYTES = 64 * 1024**2
"""A permits file larger than this is refused (a list of permits is small; docs/limits.md)."""

_CSV_FIELDS = {
    "id": ("id", "no", "nomor", "permit", "izin", "no_izin"),
    "rules": ("rules", "aturan", "rule"),
    "reports": ("reports", "laporan", "report"),
    "lon": ("lon", "lng", "longitude", "bujur"),
    "lat": ("lat", "latitude", "lintang"),
    "radius_m": ("radius_m", "radius", "radius_meter"),
    "zone": ("zone", "zona", "zone_id"),
    "party": ("party", "partai"),
    "reason": ("reason", "alasan", "keterangan"),
    "issuer": ("issuer", "penerbit", "dikeluarkan_oleh"),
    "valid_from": ("valid_from", "berlaku_dari", "mulai"),
    "valid_to": ("valid_to", "berlaku_sampai", "sampai"),
}


def load_permits(
    path: str | os.PathLike[str], *, relative_to: str | os.PathLike[str] | None = None
) -> tuple[Permit, ...]:
    """Read permits from a YAML file (a list, or ``{permits: [...]}``) or a CSV file.

    CSV columns (Indonesian aliases in brackets): id (izin), rules (aturan; ids
    separated by spaces, commas or semicolons), reports (laporan; ids likewise),
    lon/lat/radius_m (bujur/lintang/radius), zone (zona), party (partai), reason
    (alasan), issuer (penerbit), valid_from (berlaku_dari), valid_to (berlaku_sampai).
    Each permit records the file (named relative to ``relative_to`` when under it) and
    its SHA-256, which a run's provenance lists.
    """
    from ..read import display_name

    relative = display_name(path, relative_to) if relative_to is not None else None
    p = Path(path)
    name = str(path)
    data = read_input(p, what="permits file", name=name, max_bytes=MAX_PERMITS_BYTES)
    digest = hashlib.sha256(data).hexdigest()
    return tuple(
        dataclasses.replace(permit, source_file=relative or name, source_sha256=digest)
        for permit in _read_permits(p, data, name)
    )


def _read_permits(p: Path, data: bytes, name: str) -> tuple[Permit, ...]:
    if p.suffix.lower() in (".yaml", ".yml"):
        from ..read.yamlsafe import load_yaml

        try:
            doc, _ = load_yaml(data.decode("utf-8-sig"), file=name)
        except UnicodeDecodeError:
            raise InputError(Text("permits.permits_file_not_utf"), file=name) from None
        except AtributRulesError as exc:  # RuleSetError from the YAML loader: same words, input error here
            raise InputError(
                exc.message_text,
                file=exc.file or name,
                line=exc.line,
                column=exc.column,
                field=exc.field,
                hint=exc.hint_text,
            ) from None
        except (ValueError, RecursionError) as exc:  # e.g. an integer of over 4300 digits
            raise InputError(
                Text("permits.cannot_read_permits_file", exc=str(exc)[:200]),
                file=name,
                hint=Text("permits.write_shorter_numbers_hint"),
            ) from None
        items = doc.get("permits") if isinstance(doc, Mapping) else doc
        if not isinstance(items, list):
            raise InputError(Text("permits.permits_file_holds_list"), file=name)
        return permits_from_mappings(items, file=name)
    return _permits_from_csv(data, name)


def _permits_from_csv(data: bytes, name: str) -> tuple[Permit, ...]:
    """Permits from CSV, read as strictly as a reports CSV (csv_records): a quote left open,
    NUL bytes or a field over the field limit are errors naming the line."""
    from ..read.csv_reader import csv_records
    from ..read.text import decode

    text = decode(data, file=name)
    header, records = csv_records(text, file=name, what="permits file")
    if not header:
        raise InputError(Text("permits.permits_file_empty"), file=name)
    lookup = {alias: key for key, aliases in _CSV_FIELDS.items() for alias in aliases}
    keys = [lookup.get((canonical_field(c) or c).strip().casefold().replace(" ", "_")) for c in header]
    items, lines = [], []
    for line, cells in records:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise InputError(
                Text("permits.line_fields_but_header", line=line, length=len(cells), length_2=len(header)),
                file=name,
                line=line,
                hint=Text("permits.check_separators_quotes_hint"),
            )
        item: dict[str, Any] = {}
        loc: dict[str, float] = {}
        for column, key, value in zip(header, keys, cells):
            value = value.strip()
            if not value or key is None:
                continue
            if key in ("rules", "reports"):
                item[key] = [v for v in value.replace(";", " ").replace(",", " ").split() if v]
            elif key in ("lon", "lat", "radius_m"):
                try:
                    number = parse_number(value)
                except ValueError:
                    number = None
                if number is None or not math.isfinite(number):
                    kind = Text("permits.a_number" if number is None else "permits.a_finite_number")
                    raise InputError(
                        Text("permits.not_kind", column=column, value=_cut(repr(value)), kind=kind),
                        file=name,
                        line=line,
                        field=column,
                        hint=Text("permits.write_decimal_degrees_lon_hint"),
                    ) from None
                loc[key] = number
            else:
                item[key] = value
        if loc:
            item["location"] = loc
        items.append(item)
        lines.append(line)
    return permits_from_mappings(items, file=name, lines=lines)


def _schema_message(error: Any) -> str:
    """A JSON Schema error's message, or, when it quotes a long value, the value cut short
    and the rule it breaks."""
    if len(error.message) <= 200:
        return error.message
    value = error.instance
    shown = _cut(repr(as_text(value) if isinstance(value, str) else value), 80)
    return f"{shown} breaks '{error.validator}' ({_cut(repr(error.validator_value), 80)})"


def _cut(text: str, limit: int = 200) -> str:
    """``text`` cut to about ``limit`` characters for an error line."""
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} characters)"
