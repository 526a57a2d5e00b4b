"""The vendored htmx is the file VENDORED.md names (version and sha256), and no template
carries inline script, inline style or an inline event handler, so a strict
Content-Security-Policy (script-src 'self'; style-src 'self') holds on every page."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import confide

SRC = Path(confide.__file__).parent
VENDOR = SRC / "web" / "static" / "web" / "vendor" / "htmx"


def test_vendored_htmx_matches_its_record():
    record = (VENDOR / "VENDORED.md").read_text()
    row = re.search(r"\| `htmx.min.js` \| [^|]+ \| ([0-9.]+) \| `([0-9a-f]{64})` \|", record)
    assert row, "VENDORED.md has no row for htmx.min.js"
    version, sha256 = row.groups()
    body = (VENDOR / "htmx.min.js").read_bytes()
    assert hashlib.sha256(body).hexdigest() == sha256
    assert f'version:"{version}"'.encode() in body
    assert version.startswith("2.")


INLINE = [
    (re.compile(r"<style", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\shx-on", re.I), "an hx-on handler (needs eval)"),
]


def templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html"))


def test_no_template_has_inline_script_or_style():
    found = templates()
    assert len(found) > 20
    problems = [f"{p.relative_to(SRC)}: {what}" for p in found for pattern, what in INLINE
                if pattern.search(p.read_text())]
    assert problems == []


def test_the_base_layout_turns_off_what_a_strict_policy_forbids():
    base = (SRC / "web" / "templates" / "web" / "base.html").read_text()
    assert '"includeIndicatorStyles":false' in base and '"allowEval":false' in base
