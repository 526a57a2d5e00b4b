"""Checkpoints: sealed copies of the chains' heads, kept outside the database.

A checkpoint is one line of JSON::

    {"v": 2, "kind": "checkpoint", "at": "2026-11-21T10:15:00.123456Z",
     "heads": {"<chain>": [seq, "<hash>"], ...}, "key_id": "mk-...", "seal": "<hex>"}

sealed (HMAC-SHA256, see chain.Sealer.seal_document) over everything but key_id and
seal. A chain that ends before a checkpoint's head for it was truncated or rolled
back; a chain whose entry at that sequence number has another hash was rewritten.

A restore writes a line of kind "restore" with the heads it restored: the chains went
back to those heads on purpose, so what earlier checkpoints saw beyond them is no
longer expected (and the entries appended since are new ones).

Only the latest checkpointed head of each chain is kept for the comparison: each hash
covers every entry before it, so an older checkpoint catches nothing the latest one
does not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from confide.core.audit.chain import Head, Sealer

KINDS = ("checkpoint", "restore")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def checkpoint_line(sealer: Sealer, heads: list[Head], *, at: str, kind: str = "checkpoint") -> str:
    """One sealed checkpoint line (no newline)."""
    if kind not in KINDS:
        raise ValueError(f"checkpoint kind must be one of {KINDS}")
    doc: dict[str, Any] = {"v": 2, "kind": kind, "at": at,
                           "heads": {h.chain: [h.seq, h.hash] for h in sorted(heads, key=lambda h: h.chain)}}
    key_id, seal = sealer.seal_document(doc)
    return json.dumps({**doc, "key_id": key_id, "seal": seal}, sort_keys=True, separators=(",", ":"))


def human_time(at: str) -> str:
    """A checkpoint's time as people read it: "21 Nov 2026, 10:15:03 UTC"."""
    try:
        moment = datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return "an undated checkpoint"
    return f"{moment.day} {moment:%b %Y, %H:%M:%S} UTC"


@dataclass
class CheckpointBook:
    """Reads checkpoint lines in the order they were written and keeps, per chain, the
    latest head a checkpoint saw: {chain: {seq: (hash, when)}}, what `verify` takes."""

    sealer: Sealer
    expected: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)
    read: int = 0  # lines that were valid and sealed by this installation's key
    restores: int = 0
    latest: str | None = None  # `at` of the latest checkpoint used
    problems: list[str] = field(default_factory=list)

    def feed(self, line: str, where: str) -> None:
        """Take one line; `where` names it in a problem ("checkpoints-2026-11-21.jsonl line 4")."""
        line = line.strip()
        if not line:
            return
        doc = self._parse(line)
        if doc is None:
            self.problems.append(f"checkpoint {where} is damaged (not a checkpoint line)")
            return
        key_id, seal = doc.pop("key_id"), doc.pop("seal")
        if not self.sealer.check_document(doc, key_id, seal):
            self.problems.append(f"checkpoint {where} is not sealed by this installation's key (forged or altered)")
            return
        self.read += 1
        self.latest = doc["at"]
        when = human_time(doc["at"])
        heads = {chain: (seq, digest) for chain, (seq, digest) in doc["heads"].items()}
        if doc["kind"] == "restore":
            self.restores += 1
            # The chains were put back to these heads on purpose: forget what earlier
            # checkpoints saw beyond them.
            for chain in list(self.expected):
                if chain not in heads:
                    del self.expected[chain]
            when = f"{when} (restore)"
        for chain, (seq, digest) in heads.items():
            known = self.expected.get(chain)
            if doc["kind"] == "restore" or not known or seq >= max(known):
                self.expected[chain] = {seq: (digest, when)} if seq else {}

    @staticmethod
    def _parse(line: str) -> dict | None:
        try:
            doc = json.loads(line)
        except ValueError:
            return None
        if not isinstance(doc, dict) or set(doc) != {"v", "kind", "at", "heads", "key_id", "seal"}:
            return None
        if doc["v"] != 2 or doc["kind"] not in KINDS or not isinstance(doc["at"], str):
            return None
        if not isinstance(doc["key_id"], str) or not isinstance(doc["seal"], str) or not isinstance(doc["heads"], dict):
            return None
        for chain, head in doc["heads"].items():
            if not (isinstance(head, list) and len(head) == 2 and type(head[0]) is int and head[0] >= 0
                    and isinstance(head[1], str) and _HEX64.fullmatch(head[1])):
                return None
        return doc


__all__ = ["CheckpointBook", "checkpoint_line", "human_time", "KINDS"]
