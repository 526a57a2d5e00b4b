"""The outbox on disk is sealed: a copy of var/ without the keys reads nothing, the
message is read back with the key (`confide outbox show`), and crypto-shredding a
client removes their pending files."""

from __future__ import annotations

import pytest

from confide import cli
from confide.core.errors import NotFound
from confide.services.demo import data as demo_data
from confide.services.messages import reminder_send
from confide.services.outbox import outbox_client_files, outbox_read
from confide.services.practice.invitations import invitation_send
from confide.services.shredding import client_shred

LENA = next(c for c in demo_data.CLIENTS if c["key"] == "c1")
NOOR = next(c for c in demo_data.CLIENTS if c["key"] == "c7")


def test_a_reminder_file_names_nothing_and_reads_back_with_the_key(staff, cid, outbox, capsys):
    reminder_send(user=staff["marsh"], client_id=cid["c1"], channel="email")
    reminder_send(user=staff["okafor"], client_id=cid["c7"], channel="postal")
    files = outbox()
    assert len(files) == 2
    raw = b"".join(p.read_bytes() for p in files)
    for secret in (LENA["email"], LENA["legal_name"].split()[0], NOOR["contact_preferences"]["alternate_address"],
                   NOOR["legal_name"].split()[0], "Appointment reminder", "HL Appointments"):
        assert secret.encode() not in raw, secret
    letter = next(p for p in files if p.name.endswith("-postal.txt"))
    assert NOOR["contact_preferences"]["alternate_address"].encode() in outbox_read(letter)
    assert cli.main(["outbox", "show", letter.name]) == 0
    assert NOOR["contact_preferences"]["alternate_address"] in capsys.readouterr().out
    assert cli.main(["outbox", "list"]) == 0
    assert sorted(capsys.readouterr().out.split()) == sorted(p.name for p in files)


def test_a_file_renamed_or_altered_does_not_open(staff, cid, outbox):
    reminder_send(user=staff["marsh"], client_id=cid["c1"], channel="email")
    [eml] = outbox()
    moved = eml.with_name("20260101T000000Z-" + eml.name.split("-", 1)[1])
    eml.rename(moved)
    with pytest.raises(Exception):  # noqa: B017 - the file name is bound in: AES-GCM refuses it
        outbox_read(moved)


def test_shredding_a_client_deletes_their_pending_files_only(staff, cid, outbox, capsys):
    reminder_send(user=staff["marsh"], client_id=cid["c1"], channel="email")
    reminder_send(user=staff["okafor"], client_id=cid["c7"], channel="postal")
    [lena_file] = outbox_client_files(cid["c1"])
    client_shred(client_id=cid["c1"])
    assert not lena_file.exists() and outbox_client_files(cid["c1"]) == []
    [left] = outbox()
    assert left.name.endswith("-postal.txt")
    with pytest.raises(NotFound):
        outbox_read(lena_file)


def test_an_invitation_is_sealed_under_the_installation_key_and_take_deletes_it(staff, outbox, capsys):
    sent = invitation_send(actor=staff["haddad"], account=staff["marsh"], email="marsh-new@example.org",
                           purpose="reset", base_url="http://confide.test")
    [mail] = outbox()
    assert mail.name == sent.outbox_ref
    assert b"marsh-new@example.org" not in mail.read_bytes() and b"instance" in mail.read_bytes().split(b"\n")[0]
    assert b"marsh-new@example.org" in outbox_read(mail)
    assert cli.main(["outbox", "take", str(mail)]) == 0
    assert "marsh-new@example.org" in capsys.readouterr().out
    assert outbox() == []
