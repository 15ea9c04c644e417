"""Mask personal data before it is stored or logged (UU PDP No. 27/2022).

:func:`mask` replaces e-mail addresses and personal numbers with labels: a NIK (16 digits) becomes
``[NIK]``, an Indonesian mobile number (08…, +62 8…, 62 8…) ``[TELEPON]``, any other run of 8 or more
digits (bank and account numbers) ``[NOMOR]``. Digits may be grouped with spaces, dots or dashes.
Money (``Rp4.500.000``, ``4,5 juta``, ``12.500.000``), dates, years and clock times are kept.

:func:`hash_user` gives logs a stable pseudonym instead of the Telegram id, and
:class:`RedactingFilter` applies both masking and secret removal to every log record.
"""

from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import quote

__all__ = ["RedactingFilter", "hash_user", "mask"]

NIK, PHONE, NUMBER, EMAIL, REDACTED = "[NIK]", "[TELEPON]", "[NOMOR]", "[EMAIL]", "[REDACTED]"

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}"
_END = r"(?![.\-/]?\d)"  # not followed by more digits, even across one separator
_DATE = rf"""(?<!\d)(?:\d{{1,2}}(?P<s1>[-./])\d{{1,2}}(?P=s1)(?:\d{{4}}|\d{{2}})
                     |\d{{4}}(?P<s2>[-./])\d{{1,2}}(?P=s2)\d{{1,2}}){_END}"""
_TIME = rf"(?<!\d)\d{{1,2}}[.:]\d{{2}}(?:\s?[-–]\s?\d{{1,2}}[.:]\d{{2}})?{_END}"
_MONEY = rf"""(?:\brp\.?|\bidr)\s?\d[\d.,]*
             |(?<![\d.])[1-9]\d{{0,2}}(?:\.\d{{3}})+(?:,\d+)?{_END}
             |(?<![\d.])\d+(?:[.,]\d+)?\s?(?:rupiah|juta|jt|ribu|rb|miliar)\b"""
_DIGITS = r"(?<!\d)(?:\+\s?)?\d(?:[ .\-]?\d)*"

_PATTERN = re.compile(
    rf"(?P<email>{_EMAIL})|(?P<keep>{_DATE}|{_TIME}|{_MONEY})|(?P<digits>{_DIGITS})",
    re.IGNORECASE | re.VERBOSE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def mask(text: str) -> str:
    """Return ``text`` with e-mail addresses and personal numbers replaced by labels."""
    return _PATTERN.sub(_replace, text)


def _replace(match: re.Match[str]) -> str:
    if match.group("email"):
        return EMAIL
    if match.group("keep"):
        return match.group(0)
    return _classify(match.group(0))


def _classify(run: str) -> str:
    """Label one run of grouped digits, or return it unchanged when it is not personal."""
    digits = re.sub(r"\D", "", run)
    if len(digits) < 8 or _only_years(run):
        return run
    if len(digits) == 16 and not digits.startswith("0"):
        return NIK
    if _is_mobile(digits, international=run.startswith("+")):
        return PHONE
    return NUMBER


def _only_years(run: str) -> bool:
    return all(_YEAR.fullmatch(group) for group in re.split(r"[ .\-]", run))


def _is_mobile(digits: str, *, international: bool) -> bool:
    """True for an Indonesian mobile number: 0 or 62, then 8 and 7-11 more digits."""
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0") and not international:
        national = digits[1:]
    else:
        return False
    return national.startswith("8") and 8 <= len(national) <= 12


def hash_user(user_id: int, salt: str) -> str:
    """A short, stable pseudonym for a Telegram user id, for logs."""
    return hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:12]


class RedactingFilter(logging.Filter):
    """Removes secrets (the bot token) and masks personal data in every record it sees.

    The message is formatted with its arguments first, so values passed as ``%s`` arguments are masked
    too; a traceback attached to the record is formatted and cleaned the same way.
    """

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        variants = {variant for secret in secrets if secret for variant in (secret, quote(secret, safe=""))}
        self._secrets = sorted(variants, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Replace secrets with ``[REDACTED]``, then mask personal data."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return mask(text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True
