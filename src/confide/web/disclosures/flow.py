"""Preview, then confirm: the one way every disclosure screen sends anything.

A screen's form POSTs with `step=preview`: the workflow runs as a preview
(services.disclosures.preview), the exact packet is shown field by field and the
form's inputs come back as hidden fields with the preview's token. Only the second POST,
`step=confirm` with that token, sends; if what would leave changed meanwhile, it is
refused and the clinician previews again. A refusal says, in words, which rule or
promise blocked it, with each rule's citation and verification mark.
"""

from __future__ import annotations

import json

from django.contrib import messages

from confide.core.errors import ConfideError, NotFound, Refused
from confide.services import words
from confide.services.disclosures import preview
from confide.services.policy import rules

# Inputs never echoed back as hidden fields.
_NOT_ECHOED = frozenset({"csrfmiddlewaretoken", "step", "token"})


def rule_rows(rule_ids) -> list[dict]:
    """Each rule by id with its citation, verification mark and explanation (those the
    rule packs know; a system rule is shown by its id)."""
    out = []
    for rid in rule_ids or ():
        try:
            rule = rules().rule(rid)
        except KeyError:
            out.append({"id": rid, "citation": "", "ver": "", "explanation": ""})
            continue
        out.append({"id": rule.id, "citation": rule.citation, "ver": rule.ver, "explanation": rule.explanation,
                    "promise": rule.id.startswith("PRACTICE-PROMISE-")})
    return out


def refusal(exc: Refused) -> dict:
    rows = rule_rows(exc.rule_ids)
    return {"message": str(exc), "rules": rows, "promise": any(r.get("promise") for r in rows)}


def _value(value) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(str(v) for v in value)
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_value(v)}" for k, v in value.items())
    return str(value)


def _rows(content) -> list[list[tuple[str, str]]]:
    if isinstance(content, dict):
        return [[(k.replace("_", " "), _value(v)) for k, v in content.items()]]
    if isinstance(content, list):
        out = []
        for entry in content:
            if isinstance(entry, dict):
                out.append([(k.replace("_", " "), _value(v)) for k, v in entry.items() if k != "id"])
            else:
                out.append([("", _value(entry))])
        return out
    return [[("", _value(content))]]


def packet_view(packet: dict) -> dict:
    """The packet as a person reads it: who receives it, why, on what basis, and every
    field of every section that would leave."""
    return {
        "recipient": packet.get("recipient") or {},
        "purpose": words.purpose_word(packet.get("purpose")),
        "basis": {**(packet.get("basis") or {}), "word": words.basis_word((packet.get("basis") or {}).get("kind"))},
        "period": packet.get("period"),
        "sections": [{"category": cat, "title": words.category_word(cat), "rows": _rows(packet["sections"][cat])}
                     for cat in packet.get("categories", [])],
        "notices": packet.get("notices", []),
        "deidentified": packet.get("deidentified"),
        "rules": rule_rows(packet.get("rule_ids")),
        "empty": not packet.get("categories"),
    }


def hidden_fields(post) -> list[tuple[str, str]]:
    return [(k, v) for k in post if k not in _NOT_ECHOED for v in post.getlist(k)]


def step(request, workflow, kwargs: dict, *, done_message) -> dict:
    """Run the POSTed step. Returns the page context: `preview` (with `token` and
    `hidden`), `done` (the summary of what left), `refusal` or `error`, and `status`."""
    which = request.POST.get("step", "preview")
    try:
        if which == "confirm":
            token = request.POST.get("token", "")[:preview.TOKEN_LENGTH + 1]
            summary = preview.confirmed(workflow, token, **kwargs)
            messages.success(request, done_message(summary))
            return {"done": summary, "status": 200}
        shown = preview.preview_of(workflow, **kwargs)
        return {"preview": packet_view(shown.packet), "token": shown.token, "hidden": hidden_fields(request.POST),
                "status": 200}
    except NotFound:
        raise
    except Refused as exc:
        return {"refusal": refusal(exc), "status": 403}
    except ConfideError as exc:
        return {"error": str(exc), "status": exc.status if exc.status != 404 else 400}


def summary_words(summary: dict) -> str:
    inner = summary.get("disclosure", summary)
    cats = ", ".join(words.category_phrase(c) for c in inner.get("categories", [])) or "nothing"
    told = " The client is to be told: it is on the obligations list." if any(
        o.get("kind") == "notify_client" and o.get("status", "open") == "open"
        for o in inner.get("obligations", [])) else ""
    return f"Sent: {cats}. It is recorded in the client's accounting of disclosures.{told}"


def as_json(value) -> str:
    return json.dumps(value, sort_keys=True)
