"""Education levels: reading them in what people type, and the rule a vacancy's requirement sets.

Levels are the Indonesian ones, lowest first: SD, SMP, SMA and SMK (same rank: both are upper
secondary), D1, D2, D3, D4 and S1 (same rank: sarjana terapan and sarjana sit at KKNI level 6), S2, S3.

:func:`find_education` finds a level in a tokenised message ("lulusan smk", "tamat SMA", "sarjana",
"D3", "s1 akuntansi", "STM", "SLTA", "diploma", "high school", "bachelor") and the words it took, so the
vacancy search does not read "smk" as a job title. :func:`admits` is the requirement rule: a vacancy
asking for "SMA/SMK" admits SMA, SMK and every higher level; one asking for "S1" never admits an SMK
graduate. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from intents import normalise

LEVELS = ("SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
RANK = {"SD": 1, "SMP": 2, "SMA": 3, "SMK": 3, "D1": 4, "D2": 5, "D3": 6, "D4": 7, "S1": 7, "S2": 8, "S3": 9}
PROFILE_LEVELS = (
    "SD",
    "SMP",
    "SMA",
    "SMK",
    "D1",
    "D2",
    "D3",
    "D4",
    "S1",
    "S2",
)  # buttons; S2 means "S2 or higher"

# Phrases (normalised) that name a level. Longest phrases are tried first.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "SD": ("sd", "sekolah dasar", "mi", "elementary school", "primary school", "paket a"),
    "SMP": (
        "smp",
        "sltp",
        "mts",
        "sekolah menengah pertama",
        "junior high",
        "junior high school",
        "middle school",
        "paket b",
    ),
    "SMA": (
        "sma",
        "smu",
        "slta",
        "sekolah menengah atas",
        "high school",
        "senior high",
        "senior high school",
        "sma sederajat",
        "slta sederajat",
        "man",
        "paket c",
    ),
    "SMK": (
        "smk",
        "stm",
        "smea",
        "smkk",
        "sekolah menengah kejuruan",
        "vocational school",
        "vocational high school",
        "sekolah kejuruan",
    ),
    "D1": ("d1", "d 1", "diploma 1", "diploma satu", "diploma one", "one year diploma"),
    "D2": ("d2", "d 2", "diploma 2", "diploma dua", "diploma two"),
    "D3": (
        "d3",
        "d 3",
        "diploma 3",
        "diploma tiga",
        "diploma three",
        "diploma",
        "ahli madya",
        "associate degree",
        "amd",
    ),
    "D4": ("d4", "d 4", "diploma 4", "diploma empat", "diploma four", "sarjana terapan"),
    "S1": (
        "s1",
        "s 1",
        "sarjana",
        "strata 1",
        "strata satu",
        "bachelor",
        "bachelors",
        "bachelor degree",
        "undergraduate degree",
        "university degree",
        "sarjana s1",
    ),
    "S2": (
        "s2",
        "s 2",
        "magister",
        "master",
        "masters",
        "master degree",
        "pascasarjana",
        "strata 2",
        "strata dua",
    ),
    "S3": ("s3", "s 3", "doktor", "phd", "doctorate", "strata 3", "strata tiga"),
}
PHRASES: dict[str, str] = {phrase: level for level, phrases in _SPELLINGS.items() for phrase in phrases}
_LONGEST = max(len(p.split()) for p in PHRASES)
# Words that introduce a level ("lulusan smk", "tamat SMA", "minimal D3"); they go with the level.
LEAD_WORDS = frozenset(
    "lulusan lulus tamat tamatan pendidikan ijazah minimal min minimum graduate graduated "
    "grad lulusannya jenjang".split()
)
# Short spellings that are ordinary words elsewhere: a level only right after a lead word ("lulusan mi").
_NEEDS_LEAD = frozenset({"mi", "man", "master", "amd"})


@dataclass(frozen=True)
class Found:
    """A level found in a message, and the span of words it took (lead words included)."""

    level: str
    start: int
    end: int


def find_education(words: Sequence[str], *, skip: Sequence[bool] = ()) -> Found | None:
    """The first education level named in ``words`` (normalised tokens); ``skip[i]`` masks taken words."""
    taken = list(skip) + [False] * (len(words) - len(skip))
    for start in range(len(words)):
        for size in range(min(_LONGEST, len(words) - start), 0, -1):
            if any(taken[start : start + size]):
                continue
            phrase = " ".join(words[start : start + size])
            level = PHRASES.get(phrase)
            lead = start > 0 and words[start - 1] in LEAD_WORDS and not taken[start - 1]
            if level is None or (phrase in _NEEDS_LEAD and not lead):
                continue
            return Found(level, start - 1 if lead else start, start + size)
    return None


def read_education(text: str) -> str | None:
    """The level named in free text ('saya lulusan smk teknik mesin' -> 'SMK'), or None."""
    found = find_education(normalise(text).split())
    return found.level if found else None


@lru_cache(maxsize=4096)
def requirement(education: str) -> tuple[str, ...]:
    """The levels a vacancy's education column names: 'SMA/SMK' -> ('SMA', 'SMK'); '' -> ()."""
    parts = [
        p.strip().upper().replace(" ", "").replace("-", "") for p in education.replace(",", "/").split("/")
    ]
    return tuple(p for p in parts if p in RANK)


@lru_cache(maxsize=8192)
def admits(education: str, level: str | None) -> bool:
    """True when a person with ``level`` meets a vacancy's ``education`` requirement (its minimum).

    The requirement is the lowest level it names: 'SMA/SMK' admits SMA, SMK and higher; 'SMA' admits
    SMK too (SMA *sederajat*); 'SMK' alone admits SMK and higher, not SMA (it asks for a vocational
    school); 'S1' admits D4 (the same level), S1, S2 and S3. No requirement, or an unknown level of the
    person, admits everyone: the person decides.
    """
    names = requirement(education)
    if not names or level is None or level not in RANK:
        return True
    lowest = min(RANK[n] for n in names)
    if RANK[level] > lowest:
        return True
    if RANK[level] < lowest:
        return False
    if level in names:
        return True
    same_rank = {n for n in names if RANK[n] == lowest}
    return (
        level == "SMK"
        and "SMA" in same_rank
        or level == "D4"
        and "S1" in same_rank
        or level == "S1"
        and "D4" in same_rank
    )


@lru_cache(maxsize=4096)
def label(education: str) -> str:
    """How a requirement reads in a result line: 'SMA/SMK', 'S1'; '' for none."""
    return "/".join(requirement(education))


__all__ = [
    "LEAD_WORDS",
    "LEVELS",
    "PHRASES",
    "PROFILE_LEVELS",
    "RANK",
    "Found",
    "admits",
    "find_education",
    "label",
    "read_education",
    "requirement",
]
