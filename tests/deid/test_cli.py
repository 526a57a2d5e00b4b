"""`confide deid`: text, json and jsonl; every failure one line on stderr; no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from confide.cli import main

NOTE = "Client: Maria Delgado, DOB 04/02/1988. Call (253) 555-0143. Seen with her sister Rose on 3/14/2025.\n"
RECORD = {"client": {"first_name": "Maria", "last_name": "Delgado", "dob": "1988-04-02", "phone": "(253) 555-0143"}}
SRC = str(Path(__file__).resolve().parents[2] / "src")


def run(*args: str, stdin: bytes = b"", env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFIDE_")}
    env["PYTHONPATH"] = SRC
    # no database and no master key: point both at places that do not exist
    env["CONFIDE_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    env["CONFIDE_MASTER_KEY_FILE"] = "/nonexistent/master.key"
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "confide.cli", "deid", *args], input=stdin, capture_output=True,
                          env=env, timeout=120)


def test_text_from_a_file(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    chart = tmp_path / "chart.json"
    chart.write_text(json.dumps(RECORD), encoding="utf-8")
    out = run(str(note), "--record", str(chart))
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "Maria" not in text and "Delgado" not in text and "555-0143" not in text and "[NAME]" in text
    assert out.stderr == b""


def test_json_spans_are_offsets_into_the_input():
    out = run("-", "--format", "json", stdin=NOTE.encode())
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"text", "spans"}
    assert {NOTE[s["start"]:s["end"]] for s in data["spans"]} >= {"Maria Delgado", "04/02/1988", "(253) 555-0143", "Rose"}
    assert all(set(s) == {"start", "end", "type"} for s in data["spans"])


def test_surrogates_mode(tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"0123456789abcdef0123456789abcdef")
    a = run("-", "--surrogates", "--case-secret-file", str(secret), stdin=NOTE.encode())
    b = run("-", "--surrogates", "--case-secret-file", str(secret), stdin=NOTE.encode())
    assert a.returncode == 0 and a.stdout == b.stdout
    assert b"Delgado" not in a.stdout and b"[NAME]" not in a.stdout


def test_jsonl_goes_on_after_bad_lines():
    lines = [json.dumps({"id": "a", "text": NOTE, "record": RECORD}).encode(), b"{not json", json.dumps({"id": "c"}).encode(),
             b"\xff\xfe bad bytes", json.dumps({"id": "e", "text": "Dr. Feng called."}).encode(),
             json.dumps({"id": "f", "text": "x", "record": [1]}).encode()]
    out = run("-", "--format", "jsonl", stdin=b"\n".join(lines) + b"\n")
    assert out.returncode == 1
    rows = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["a", "e"]
    assert all(set(r) == {"id", "spans"} for r in rows)
    errors = out.stderr.decode().strip().splitlines()
    assert [e.split(":")[1].strip() for e in errors] == ["line 2", "line 3", "line 4", "line 6"]
    assert all(e.startswith("confide: line ") and "Traceback" not in e for e in errors)


def test_missing_file_is_one_line():
    out = run("/nonexistent/note.txt")
    assert out.returncode == 1
    assert out.stderr.decode().strip() == "confide: no such file: /nonexistent/note.txt"
    assert out.stdout == b""


def test_bad_record_and_bad_encoding_are_one_line(tmp_path):
    chart = tmp_path / "chart.json"
    chart.write_text("{oops", encoding="utf-8")
    out = run("-", "--record", str(chart), stdin=NOTE.encode())
    assert out.returncode == 1 and out.stderr.decode().count("\n") == 1 and "invalid JSON" in out.stderr.decode()
    out = run("-", stdin=b"caf\xe9 au lait\n")
    assert out.returncode == 1 and out.stderr.decode().count("\n") == 1 and "not UTF-8" in out.stderr.decode()


def test_main_in_process(tmp_path, capsys):
    note = tmp_path / "n.txt"
    note.write_text("Met with Dr. Amadi on 3/14/2025.", encoding="utf-8")
    assert main(["deid", str(note), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["type"] for s in data["spans"]] == ["NAME", "DATE"]


SAFE_HARBOR_NOTE = "Pt is a 67 yo from Portugal, moved to Maine. Seen by Dr. Amadi.\n"


def test_policy_safe_harbor_keeps_ages_under_90_states_and_countries(tmp_path, capsys):
    note = tmp_path / "n.txt"
    note.write_text(SAFE_HARBOR_NOTE, encoding="utf-8")
    assert main(["deid", str(note), "--format", "json"]) == 0
    default = {SAFE_HARBOR_NOTE[s["start"]:s["end"]] for s in json.loads(capsys.readouterr().out)["spans"]}
    assert main(["deid", str(note), "--format", "json", "--policy", "safe_harbor"]) == 0
    kept = {SAFE_HARBOR_NOTE[s["start"]:s["end"]] for s in json.loads(capsys.readouterr().out)["spans"]}
    assert {"67", "Portugal", "Maine"} <= default
    assert kept == {"Amadi"}


def test_a_jsonl_line_names_its_own_policy(capsys, monkeypatch):
    import io

    lines = [json.dumps({"id": "a", "text": SAFE_HARBOR_NOTE, "policy": "safe_harbor"}),
             json.dumps({"id": "b", "text": SAFE_HARBOR_NOTE}),
             json.dumps({"id": "c", "text": SAFE_HARBOR_NOTE, "policy": "lenient"})]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("\n".join(lines) + "\n").encode())))
    assert main(["deid", "-", "--format", "jsonl"]) == 1
    captured = capsys.readouterr()
    rows = {r["id"]: r for r in map(json.loads, captured.out.splitlines())}
    assert set(rows) == {"a", "b"}
    assert len(rows["a"]["spans"]) == 1 < len(rows["b"]["spans"])
    assert captured.err.strip() == 'confide: line 3: "policy" must be one of disguise, safe_harbor'
