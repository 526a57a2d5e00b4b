"""Blind indexes and pseudonyms: look-ups and audit references without plaintext.

A blind index is a keyed hash (HMAC-SHA256) of a normalized value, so equal values
find each other ("find the client with this email") while the column reveals nothing
to someone without the index key. Each kind of value, and pseudonyms, use their own
subkey derived with HKDF, so an index of one kind cannot be matched against another.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KINDS = ("email", "phone", "name")
INDEX_HEX_CHARS = 32
PSEUDONYM_HEX_CHARS = 24

# Apostrophes vanish inside names (O'Brien = OBrien = O’Brien); every other
# punctuation or symbol mark, hyphens included, separates words (Smith-Jones = Smith Jones).
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u02b9\u0060\u00b4\uff07")
_WHITESPACE = re.compile(r"\s+")


def derive_subkey(key: bytes, purpose: str) -> bytes:
    """A 32-byte subkey for one purpose: HKDF-SHA256 with info=purpose, no salt."""
    if not purpose:
        raise ValueError("purpose must be non-empty")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode("utf-8")).derive(key)


def _name_char(ch: str) -> str:
    """What one casefolded, decomposed character of a name becomes."""
    if unicodedata.combining(ch) or ch in _APOSTROPHES:
        return ""
    category = unicodedata.category(ch)
    if category[0] in ("P", "S", "Z") or ch.isspace():
        return " "
    if category[0] == "C":
        return ""  # control and format characters (zero-width joiners, ...)
    return ch


# ASCII is its own decomposition and casefolds character by character, so an ASCII
# name is one table lookup per character (search scores every candidate's names).
_ASCII_NAME = str.maketrans({chr(i): _name_char(chr(i).casefold()) for i in range(128)})


def _normalize_name(value: str) -> str:
    if value.isascii():
        return _WHITESPACE.sub(" ", value.translate(_ASCII_NAME)).strip()
    # casefold before NFKD: casefolding can produce combining marks ("İ" -> "i̇").
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return _WHITESPACE.sub(" ", "".join(_name_char(ch) for ch in decomposed)).strip()


def _normalize_phone(value: str) -> str:
    # isdecimal + int(): Arabic-Indic or full-width digits count as the digits they are.
    digits = "".join(str(int(ch)) for ch in value if ch.isdecimal())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]  # +1 (NANP country code)
    return digits


def normalize(kind: str, value: str) -> str:
    """Normalize a value of a kind ("email", "phone", "name", "topic") before indexing.

    email: strip, casefold. phone: digits only, a leading US "1" dropped from 11
    digits. name: accents removed, casefolded, apostrophes dropped, other punctuation
    and symbols (hyphens too) turned into spaces, whitespace collapsed. topic: a
    practice-promise tag, stripped and casefolded.
    """
    if kind in ("email", "topic"):
        return value.strip().casefold()
    if kind == "phone":
        return _normalize_phone(value)
    if kind == "name":
        return _normalize_name(value)
    raise ValueError(f"unknown blind index kind: {kind!r}")


def blind_index(index_key: bytes, kind: str, value: str) -> str:
    """HMAC-SHA256 of the normalized value under the kind's subkey; 32 hex chars.

    ValueError if nothing is left after normalization (an index of "" would match
    every other empty value).
    """
    normalized = normalize(kind, value)
    if not normalized:
        raise ValueError(f"nothing to index after normalizing the {kind}")
    subkey = derive_subkey(index_key, f"confide.blind-index.{kind}")
    message = kind.encode("utf-8") + b"\x00" + normalized.encode("utf-8")
    return hmac.new(subkey, message, hashlib.sha256).hexdigest()[:INDEX_HEX_CHARS]


def pseudonym(index_key: bytes, client_id: str) -> str:
    """A stable pseudonymous client reference for audit rows: "c_" + 24 hex chars."""
    return pseudonyms(index_key, [client_id])[0]


def pseudonyms(index_key: bytes, client_ids) -> list[str]:
    """`pseudonym` of each id, the subkey derived once (a page of a list names fifty)."""
    ids = [str(cid) if cid else "" for cid in client_ids]
    if not all(ids):
        raise ValueError("client id must be non-empty")
    subkey = derive_subkey(index_key, "confide.pseudonym.client")
    return ["c_" + hmac.new(subkey, cid.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX_CHARS]
            for cid in ids]
