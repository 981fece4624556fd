"""Finding messages: a rule's template in each language, filled a column at a time.

A rule's message names placeholders (``{distance_m}``, ``{zone_name}``, a report's own
field ...). :class:`MessageMaker` turns each template into a ``str.format`` template
once, fills it for a block of findings at once, and adds why a finding is in doubt or
what a permit did. Its caches are bounded.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..model import ZoneRef
from ..rules.ruleset import Rule, clip_message

if TYPE_CHECKING:
    from .findings import FindingFacts

UNSET = object()
"""Marks a finding whose evidence lacks a value its message may name (the report's own is used)."""
_NUMERIC_PLACEHOLDERS = frozenset({"width_m", "height_m", "area_m2", "accuracy_m", "min_m"})
_OWN_TEXT = frozenset({"distance_m", "threshold_m", "margin_m", "category", "rule"}) | _NUMERIC_PLACEHOLDERS
"""Placeholders the engine fills with its own numbers and labels, which are always clean."""
PLACEHOLDER_NAMES = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class MessageMaker:
    """Makes the messages of findings; one per run, holding the run's bounded caches."""

    def __init__(self) -> None:
        self._templates: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
        self._reason_texts: dict[tuple[str, str, str], dict[str, str]] = {}
        self._reason_suffixes: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._tidy_templates: dict[str, bool] = {}
        self._clean_values: dict[Any, bool] = {}
        self._filled: dict[tuple[Any, ...], str] = {}

    def messages(
        self,
        facts: FindingFacts,
        start: int,
        stop: int,
        zone: list[ZoneRef | None],
        distance: list[float | None],
        threshold: list[float | None],
        margin: list[float | None],
        period: list[Any],
        evidence: dict[str, list[Any]],
    ) -> list[list[str]]:
        """The messages of findings ``start:stop`` of a rule from its templates: one list per
        language, in the order of ``facts.templates``."""
        m = stop - start
        numbers = {"distance_m": distance, "threshold_m": threshold, "margin_m": margin}

        def values(name: str) -> list[Any]:  # what the message names: evidence first, then the report's
            if name == "rule":
                return [facts.rule.id] * m
            if name == "period":
                return period
            if name == "zone_id":
                return [z.id if z else None for z in zone]
            if name == "zone_name":
                return [(z.name or z.id) if z else None for z in zone]
            if name == "category":
                return [z.category if z else None for z in zone]
            own = facts.report[name][start:stop]
            if name in evidence:
                return [v if v is not UNSET else w for v, w in zip(evidence[name], own)]
            return own

        texts = []
        for lang, template, names in facts.templates:
            columns = []
            for name in names:
                if name == "distance_m":
                    column = [None if v is None else i18n.distance_text(v, lang) for v in distance]
                elif name in numbers:
                    column = [format_number(v, lang) for v in numbers[name]]
                elif name in _NUMERIC_PLACEHOLDERS:
                    column = [format_number(v, lang) for v in values(name)]
                elif name == "category":
                    column = [i18n.category_label(z.category, lang) if z is not None else None for z in zone]
                else:
                    column = values(name)
                columns.append([None if v == "" else v for v in column])
            if not names:
                texts.append([i18n.tidy(template.format())] * m)
                continue
            raw = message_text(facts.rule, lang)  # rows with a missing value: words, or clauses left out
            texts.append(self._rendered(template, raw, names, columns, lang, m))
        return texts

    def _rendered(
        self, template: str, raw: str, names: tuple[str, ...], columns: list[list[Any]], lang: str, m: int
    ) -> list[str]:
        """One language's messages from their placeholder columns.

        A row whose values are all present and clean (:func:`i18n.clean_value`; the tool's own
        numbers and labels always are) fills a tidy template as it is; another row with all its
        values is tidied; a row with a missing value is filled clause by clause
        (:func:`i18n.fill`), which rows share often (an undated report of one type), so those
        texts are kept by row. Measured on the bundled example repeated to 100,000 rows, tidying
        every message took the JSON stage from 0.45 to 1.0 s; this keeps it near the former.
        """
        quick = [True] * m
        if self._tidy_template(template, len(names)):
            for name, column in zip(names, columns):
                if name not in _OWN_TEXT:
                    clean = self._clean_value
                    quick = [q and (v is None or clean(v)) for q, v in zip(quick, column)]
        else:
            quick = [False] * m
        filled = self._filled
        out = []
        for row, fast in zip(zip(*columns), quick):
            if None not in row:
                text = template.format(*row)
                out.append(clip_message(text if fast else i18n.tidy(text)))
                continue
            key = (raw, lang, row)
            try:
                text = filled.get(key)
            except TypeError:  # a value that cannot be a key (a list from JSON Lines)
                key, text = None, None
            if text is None:
                text = clip_message(i18n.fill(raw, dict(zip(names, row)), lang))
                if key is not None:
                    if len(filled) >= 10_000:
                        filled.clear()
                    filled[key] = text
            out.append(text)
        return out

    def _tidy_template(self, template: str, names: int) -> bool:
        known = self._tidy_templates.get(template)
        if known is None:
            known = self._tidy_templates[template] = i18n.tidy_template(template, names)
        return known

    def _clean_value(self, value: Any) -> bool:
        """:func:`i18n.clean_value` of a placeholder's value, kept per value (report and zone
        texts repeat)."""
        try:
            known = self._clean_values.get(value)
        except TypeError:
            return False
        if known is None:
            known = i18n.clean_value(value if isinstance(value, str) else str(value))
            if len(self._clean_values) >= 100_000:
                self._clean_values.clear()
            self._clean_values[value] = known
        return known

    def reason_suffix(
        self, reason: str, acc: float, acc_source: str, langs: tuple[str, ...]
    ) -> tuple[str, ...]:
        """What a message gets after it for ``reason``: `` — `` and the reason's text, per language."""
        key = (*_reason_key(reason, acc, acc_source), langs)
        suffix = self._reason_suffixes.get(key)
        if suffix is None:
            text = self.reason_text(reason, acc, acc_source)
            suffix = tuple(" — " + text[lang] for lang in langs)
            if len(self._reason_suffixes) < 10_000:  # reported accuracies may all differ
                self._reason_suffixes[key] = suffix
        return suffix

    def reason_text(self, reason: str, acc: float, acc_source: str) -> dict[str, str]:
        """Why a finding is in doubt, in every language; rendered once per reason and accuracy."""
        key = _reason_key(reason, acc, acc_source)
        text = self._reason_texts.get(key)
        if text is None:
            text = i18n.render(
                reason,
                accuracy_m={lang: format_number(acc, lang) for lang in i18n.LANGUAGES},
                accuracy_source=i18n.ACCURACY_SOURCE[acc_source],
            )
            if len(self._reason_texts) < 10_000:  # reported accuracies may all differ
                self._reason_texts[key] = text
        return text

    def template(self, rule: Rule, lang: str) -> tuple[str, tuple[str, ...]]:
        """The rule's message in ``lang`` as a ``str.format`` template with numbered fields,
        and the placeholder names in field order; cached. Other braces stay literal."""
        key = (rule.id, lang)
        if key not in self._templates:
            template = i18n.message_template(message_text(rule, lang))
            parts = PLACEHOLDER_NAMES.split(template)  # literal text and names, alternating
            names = tuple(dict.fromkeys(parts[1::2]))
            pieces = [
                part.replace("{", "{{").replace("}", "}}") if k % 2 == 0 else f"{{{names.index(part)}}}"
                for k, part in enumerate(parts)
            ]
            self._templates[key] = ("".join(pieces), names)
        return self._templates[key]


def _reason_key(reason: str, acc: Any, acc_source: str) -> tuple[str, str, str]:
    """What a doubt's text depends on, as a key (the accuracy by its exact value: -0.0 is not 0.0)."""
    return reason, acc_source, acc.hex() if type(acc) is float else repr(acc)


def message_text(rule: Rule, lang: str) -> str:
    """The rule's message in ``lang`` as written (else Indonesian, else English, else its id)."""
    return rule.message.get(lang) or rule.message.get("id") or rule.message.get("en") or rule.id


def format_number(value: Any, lang: str) -> str | None:
    """A number a message names, in the language's style: ``1.234,5`` (id), ``1,234.5`` (en);
    at most two decimals, none written when they are zero. None for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if not isinstance(value, float):
        return str(value)
    whole, _, fraction = f"{value:,.2f}".partition(".")
    fraction = fraction.rstrip("0")
    if lang == "id":  # 1.234,5
        whole = whole.replace(",", ".")
        return f"{whole},{fraction}" if fraction else whole
    return f"{whole}.{fraction}" if fraction else whole
