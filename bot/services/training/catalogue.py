"""Training catalogue (knowledge/data/training.yaml) and the closest-first recommendation. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import YDict
from bot.services.common import (
    Bilingual,
    a_date,
    bilingual,
    freeze,
    listing,
    mapping,
    missing_fields,
    text,
    texts,
    unknown_fields,
)
from bot.services.regions import PATH as REGIONS_PATH
from bot.services.regions import Place, load_regions

SECTION = "training"
PATH = "data/training.yaml"
KINDS = ("bpvp", "national", "jkp")
ALL = "all"
CITY, PROVINCE, NATIONAL, ELSEWHERE = 0, 1, 2, 3
MAX_ELSEWHERE = 1
_DETAILS = ("summary", "eligibility", "schedule", "how_to_register", "source", "verified_fields")
_FIELDS = {"id", "kind", "name", "city", "province", "fields", "reviewed", *_DETAILS}


@dataclass(frozen=True)
class Field:
    key: str
    label: Bilingual
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Programme:
    id: str
    kind: str
    name: Bilingual
    fields: tuple[str, ...]
    summary: Bilingual
    eligibility: Bilingual
    how_to_register: Bilingual
    source: str
    reviewed: date
    verified_fields: bool
    schedule: Bilingual | None = None
    city: str = ""
    province: str = ""

    def teaches(self, field: str) -> bool:
        return ALL in self.fields or field in self.fields


@dataclass(frozen=True)
class Recommendation:
    programme: Programme
    tier: int


@dataclass(frozen=True)
class Catalogue:
    fields: Mapping[str, Field]
    programmes: tuple[Programme, ...]

    def jkp_route(self) -> Programme | None:
        return next((p for p in self.programmes if p.kind == "jkp"), None)


def recommend(
    catalogue: Catalogue, field: str, place: Place | None, *, limit: int = 4
) -> list[Recommendation]:
    """Programmes teaching ``field``: same city, then same province, then national (catalogue order within
    each); a centre in another province only when there is none in the user's own."""
    ranked = sorted(
        (
            Recommendation(p, _tier(p, place))
            for p in catalogue.programmes
            if p.kind != "jkp" and p.teaches(field)
        ),
        key=lambda r: r.tier,
    )
    near = [r for r in ranked if r.tier != ELSEWHERE]
    local = any(r.tier in (CITY, PROVINCE) for r in near)
    far = [] if local or place is None else [r for r in ranked if r.tier == ELSEWHERE][:MAX_ELSEWHERE]
    return (near + far)[:limit]


def _tier(programme: Programme, place: Place | None) -> int:
    if programme.kind != "bpvp":
        return NATIONAL
    if place is None:
        return ELSEWHERE
    if (programme.province, programme.city) in place.keys and place.kind == "city":
        return CITY
    return PROVINCE if programme.province in place.provinces else ELSEWHERE


def parse_training(data: Any, out: Collector, root: Path) -> Catalogue | None:
    """Parser for knowledge/data/training.yaml (registered as ``training``)."""
    if not isinstance(data, YDict):
        out.at(data, None, "training.yaml must be a mapping with fields, defaults and programmes")
        return None
    before = len(out.problems)
    unknown_fields(data, {"reviewed", "fields", "defaults", "programmes"}, "training.yaml", out)
    fields = _fields(data, out)
    defaults = mapping(data, "defaults", "training.yaml", out) if "defaults" in data else YDict()
    programmes = [
        p
        for p in (
            _programme(node, defaults or YDict(), set(fields), out)
            for node in listing(data, "programmes", "training.yaml", out) or []
        )
        if p
    ]
    _check_places(data, programmes, root, out)
    if len(out.problems) > before:
        return None
    return Catalogue(freeze(fields), tuple(programmes))


def _fields(data: YDict, out: Collector) -> dict[str, Field]:
    node = mapping(data, "fields", "training.yaml", out)
    found = {}
    for key, entry in (node or {}).items():
        if not isinstance(entry, YDict):
            out.at(node, key, f"field {key!r} needs a label and keywords")
            continue
        label, words = (
            bilingual(entry, "label", f"field {key!r}", out),
            texts(entry, "keywords", f"field {key!r}", out),
        )
        if label is not None and words is not None:
            found[key] = Field(key, label, tuple(w.lower() for w in words))
    return found


def _programme(node: Any, defaults: YDict, fields: set[str], out: Collector) -> Programme | None:
    if not isinstance(node, YDict):
        out.at(node, None, "each programme needs id, kind, name, fields and reviewed")
        return None
    where = f"programme {node.get('id')!r}"
    unknown_fields(node, _FIELDS, where, out)
    missing_fields(node, {"id", "kind", "name", "fields", "reviewed"}, where, out)
    kind = node.get("kind")
    if kind not in KINDS:
        out.at(node, "kind", f"{where}: 'kind' must be one of {', '.join(KINDS)}")
        return None
    merged = _merge(node, defaults.get(kind))
    values = {
        key: bilingual(merged, key, where, out) for key in ("summary", "eligibility", "how_to_register")
    }
    schedule = bilingual(merged, "schedule", where, out, optional=True)
    ident, name, source = (
        text(node, "id", where, out),
        bilingual(node, "name", where, out),
        text(merged, "source", where, out),
    )
    taught, reviewed = texts(node, "fields", where, out), a_date(node, "reviewed", where, out)
    for field in set(taught or ()) - fields - {ALL}:
        out.at(node, "fields", f"{where}: unknown field {field!r}")
    place = (
        (text(node, "city", where, out), text(node, "province", where, out)) if kind == "bpvp" else ("", "")
    )
    if None in (ident, name, source, taught, reviewed, *values.values(), *place):
        return None
    # fmt: off
    return Programme(ident, kind, name, taught, values["summary"], values["eligibility"], values["how_to_register"],  # type: ignore[arg-type]
                     source, reviewed, merged.get("verified_fields") is True, schedule, place[0], place[1])  # type: ignore[arg-type]
    # fmt: on


def _merge(node: YDict, defaults: Any) -> YDict:
    """The programme's own fields over its kind's defaults (line numbers kept for its own fields)."""
    merged = YDict()
    merged.line, merged.lines = node.line, dict(node.lines)
    if isinstance(defaults, YDict):
        merged.update({k: v for k, v in defaults.items() if k in _DETAILS})
        merged.lines.update({k: defaults.line_of(k) for k in defaults if k not in node})
    merged.update(node)
    return merged


def _check_places(data: YDict, programmes: Sequence[Programme], root: Path, out: Collector) -> None:
    regions = load_regions(root / REGIONS_PATH)
    if regions is None:
        return  # regions.yaml reports its own problems
    items = data.get("programmes") or []
    for programme in programmes:
        if programme.kind == "bpvp" and regions.locate(programme.city, programme.province) is None:
            node = next((n for n in items if isinstance(n, YDict) and n.get("id") == programme.id), items)
            out.at(
                node,
                "city",
                f"programme {programme.id!r}: {programme.city!r} is not a kabupaten/kota of {programme.province!r}",
            )
