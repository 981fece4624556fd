"""Indonesian names of zone categories, as officers type them.

``pohon`` is ``tree``, ``masjid`` is ``place_of_worship``: wherever a person names a
category (``--zones pohon=FILE``, a layer's ``category`` property, a rule file's
``near``/``inside``/``area``/``quota``/``zone_radius_m``), the alias is read as the
canonical name. Outputs name categories by the canonical name in machine formats and
in words of the run's language in texts (:func:`atribut_rules.i18n.category_label`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

CATEGORY_ALIASES: Mapping[str, str] = {
    "pohon": "tree",
    "tempat_ibadah": "place_of_worship",
    "masjid": "place_of_worship",
    "musala": "place_of_worship",
    "mushola": "place_of_worship",
    "gereja": "place_of_worship",
    "pura": "place_of_worship",
    "vihara": "place_of_worship",
    "klenteng": "place_of_worship",
    "sekolah": "school",
    "tempat_pendidikan": "school",
    "kantor_pemerintah": "government",
    "fasilitas_kesehatan": "health",
    "puskesmas": "health",
    "rumah_sakit": "health",
    "taman": "park",
    "jalan": "road",
    "tiang": "pole",
    "jembatan": "bridge",
    "lokasi_ditetapkan": "designated_site",
    "wilayah": "admin_area",
    "fasilitas_umum": "public_facility",
    "sarana_publik": "public_facility",
}
"""Indonesian name -> canonical category. Documented in README ("Zones")."""


def canonical_category(name: Any) -> Any:
    """The canonical category an alias names; any other value as it is."""
    return CATEGORY_ALIASES.get(name, name) if isinstance(name, str) else name


def with_canonical_categories(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A rule-set document with every category it names by an alias renamed to the canonical
    name: conditions' ``near``/``inside`` zones (in ``when``, ``applies_to``, ``area``),
    ``area.zone``, ``quota.per`` zones, ``categories`` and ``defaults.zone_radius_m``."""
    out = copy.deepcopy(dict(doc))
    radius = (out.get("defaults") or {}).get("zone_radius_m") if isinstance(out.get("defaults"), dict) else None
    if isinstance(radius, dict):
        out["defaults"]["zone_radius_m"] = {canonical_category(k): v for k, v in radius.items()}
    if isinstance(out.get("categories"), list):
        out["categories"] = [canonical_category(c) for c in out["categories"]]
    for rule in out.get("rules") or ():
        if not isinstance(rule, dict):
            continue
        for key in ("when", "applies_to", "area"):
            _conditions(rule.get(key))
        quota = rule.get("quota")
        if isinstance(quota, dict) and isinstance(quota.get("per"), list):
            for item in quota["per"]:
                if isinstance(item, dict) and "zone" in item:
                    item["zone"] = canonical_category(item["zone"])
    return out


def _conditions(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _conditions(item)
        return
    if not isinstance(node, dict):
        return
    if "zone" in node and isinstance(node.get("zone"), str):  # a rule's area: {zone: ...}
        node["zone"] = canonical_category(node["zone"])
    for key in ("near", "inside"):
        if isinstance(node.get(key), dict) and "zone" in node[key]:
            node[key]["zone"] = canonical_category(node[key]["zone"])
    for key in ("all", "any", "not"):
        if key in node:
            _conditions(node[key])
