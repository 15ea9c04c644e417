"""Provinces and kabupaten/kota (knowledge/data/regions.yaml), and finding a place in what people type.

A *place* is what a user can mean by a name: a city ("Bandung" covers Kota and Kabupaten Bandung),
a province ("jawa barat", "jabar") or an alias ("jkt" -> DKI Jakarta, "cikarang" -> Bekasi). Places
are sets of ``(province, city)`` keys, so a vacancy is in a place when its key is in the set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.knowledge.parse import Collector
from bot.knowledge.yamlio import YDict, load_yaml
from bot.services.common import freeze, listing, mapping, text, texts, unknown_fields
from intents import normalise

SECTION = "regions"
PATH = "data/regions.yaml"
CITY, PROVINCE = "city", "province"
FUZZY_CUTOFF = 86.0
MIN_FUZZY_CHARS = 6
MAX_SPAN = 4
_PREFIX = re.compile(r"^(kabupaten administrasi|kota administrasi|kabupaten|kota) ", re.IGNORECASE)

Key = tuple[str, str]


def short_name(official: str) -> str:
    """'Kota Administrasi Jakarta Selatan' -> 'Jakarta Selatan', 'Kabupaten Bandung' -> 'Bandung'."""
    return _PREFIX.sub("", official.strip())


@dataclass(frozen=True)
class Province:
    name: str
    code: str
    official: str
    aliases: tuple[str, ...]
    regencies: tuple[str, ...]
    island: str = ""

    @property
    def cities(self) -> tuple[str, ...]:
        """Short city names, each once ('Bandung' for Kota and Kabupaten Bandung)."""
        return tuple(dict.fromkeys(short_name(r) for r in self.regencies))


@dataclass(frozen=True)
class Place:
    kind: str
    name: str
    keys: frozenset[Key]

    @property
    def provinces(self) -> frozenset[str]:
        return frozenset(province for province, _ in self.keys)


class Regions:
    """The provinces with a name index for looking places up."""

    def __init__(self, provinces: Sequence[Province], aliases: Mapping[str, str]) -> None:
        self.provinces: Mapping[str, Province] = freeze({p.name: p for p in provinces})
        self._index = self._build(provinces)
        for alias, target in aliases.items():
            place = self._index.get(normalise(target))
            if place is not None:
                self._index.setdefault(normalise(alias), place)
        self._names = list(self._index)

    @staticmethod
    def _build(provinces: Sequence[Province]) -> dict[str, Place]:
        keys: dict[str, set[Key]] = {}
        names: dict[str, str] = {}
        for province in provinces:
            for regency in province.regencies:
                city = short_name(regency)
                for label in (city, regency):
                    keys.setdefault(normalise(label), set()).add((province.name, city))
                    names.setdefault(normalise(label), city)
        index = {label: Place(CITY, names[label], frozenset(found)) for label, found in keys.items()}
        for province in provinces:
            place = Place(PROVINCE, province.name, frozenset((province.name, c) for c in province.cities))
            for label in (province.name, province.official, f"provinsi {province.name}", *province.aliases):
                index.setdefault(normalise(label), place)
        return index

    def single_word_names(self) -> frozenset[str]:
        """Every one-word place name and alias ("bekasi", "jkt", "jogja") for the matcher's vocabulary."""
        return frozenset(name for name in self._names if " " not in name)

    def resolve(self, name: str, *, fuzzy: bool = True) -> Place | None:
        """The place a name means: exact (cities before provinces), then tolerating a typo."""
        key = normalise(name)
        found = self._index.get(key)
        if found is None and fuzzy and len(key) >= MIN_FUZZY_CHARS:
            best = process.extractOne(key, self._names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            found = self._index[best[0]] if best else None
        return found

    def find(
        self, words: Sequence[str], *, fuzzy: bool = False, skip: Iterable[str] = ()
    ) -> tuple[Place, int, int] | None:
        """The longest run of ``words`` naming a place: (place, start, end); ``skip`` words never start one."""
        banned = set(skip)
        for size in range(min(MAX_SPAN, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                span = words[start : start + size]
                if span[0] in banned or span[-1] in banned:
                    continue
                place = self.resolve(" ".join(span), fuzzy=fuzzy)
                if place is not None:
                    return place, start, start + size
        return None

    def islands_of(self, provinces: Iterable[str]) -> frozenset[str]:
        """The island groups ('Jawa', 'Sumatera') the named provinces lie on."""
        return frozenset(
            self.provinces[p].island for p in provinces if p in self.provinces and self.provinces[p].island
        )

    def province_named(self, name: str) -> Province | None:
        """A province by its name, official name or alias (exact, no typo tolerance)."""
        place = self._index.get(normalise(name))
        if place is not None and place.kind == PROVINCE:
            return self.provinces[place.name]
        return next((p for p in self.provinces.values() if normalise(p.name) == normalise(name)), None)

    def city_in(self, province: Province, name: str) -> str | None:
        """The short city name for ``name`` inside ``province`` (aliases allowed), else None."""
        place = self._index.get(normalise(name))
        if place is None:
            return None
        return next((city for prov, city in sorted(place.keys) if prov == province.name), None)

    def locate(self, city: str, province: str | None = None) -> Key | None:
        """The ``(province, city)`` key for a city name, optionally within a named province."""
        if province:
            prov = self.province_named(province)
            found = self.city_in(prov, city) if prov else None
            return (prov.name, found) if prov and found else None
        place = self._index.get(normalise(city))
        return min(place.keys) if place is not None and place.kind == CITY else None


def parse_regions(data: Any, out: Collector, root: Path) -> Regions | None:
    """Parser for knowledge/data/regions.yaml (registered as ``regions``)."""
    if not isinstance(data, YDict):
        out.at(data, None, "regions.yaml must be a mapping with 'provinces' and 'aliases'")
        return None
    before = len(out.problems)
    unknown_fields(data, {"source", "reviewed", "provinces", "aliases"}, "regions.yaml", out)
    provinces = [
        p
        for p in (_province(node, out) for node in listing(data, "provinces", "regions.yaml", out) or [])
        if p
    ]
    _no_duplicates(data, provinces, out)
    aliases = mapping(data, "aliases", "regions.yaml", out)
    alias_map = {str(k): str(v) for k, v in (aliases or {}).items()}
    if len(out.problems) > before:
        return None
    regions = Regions(provinces, alias_map)
    for alias, target in alias_map.items():
        if regions.resolve(target, fuzzy=False) is None:
            out.at(aliases, alias, f"alias {alias!r}: {target!r} is not a province or kabupaten/kota")
    return regions if len(out.problems) == before else None


def _province(node: Any, out: Collector) -> Province | None:
    if not isinstance(node, YDict):
        out.at(node, None, "each province needs name, code and regencies")
        return None
    where = f"province {node.get('name')!r}"
    unknown_fields(node, {"name", "code", "official", "island", "aliases", "regencies"}, where, out)
    name, code = text(node, "name", where, out), text(node, "code", where, out)
    official = text(node, "official", where, out, optional=True)
    island = text(node, "island", where, out, optional=True)
    aliases = texts(node, "aliases", where, out) if "aliases" in node else ()
    regencies = texts(node, "regencies", where, out)
    if regencies is not None and len(set(regencies)) != len(regencies):
        out.at(node, "regencies", f"{where}: a kabupaten/kota is listed twice")
    if name is None or code is None or regencies is None or aliases is None or not regencies:
        return None
    return Province(name, code, official or name, aliases, regencies, island or "")


def _no_duplicates(data: YDict, provinces: Sequence[Province], out: Collector) -> None:
    seen: set[str] = set()
    for province in provinces:
        if province.name in seen:
            out.at(data, "provinces", f"province {province.name!r} is listed twice")
        seen.add(province.name)


def load_regions(path: Path) -> Regions | None:
    """Read a regions file on its own (for checks that need places); None when it has problems."""
    data, problems = load_yaml(path)
    return None if problems or data is None else parse_regions(data, Collector(str(path)), path.parent)
