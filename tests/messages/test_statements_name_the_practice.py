"""Messages' reads name the practice: on a database distributed on the practice (Citus),
every SELECT that contact preferences, reminders and the message list send filters each
tenant table it reads by `practice_id`, so it is a router query on the practice's shard
(tests/shards.py).

The UPDATEs and DELETEs the workflows send are read the same way (a row saved is
updated by its id and its practice: PracticeScoped)."""

from __future__ import annotations

from confide.services.messages import (
    contact_preferences_get,
    contact_preferences_set,
    messages_list,
    practice_messaging_set,
    reminder_preview,
    reminder_send,
)
from tests.shards import assert_every_statement_names_the_practice, sent

NEUTRAL = {"voicemail": "name_callback", "text": "neutral", "email": "neutral", "postal": "home"}


def test_preferences_reminders_and_the_message_list_name_the_practice_in_every_statement(staff, cid, outbox):
    lena, desk, marsh, client_id = staff["lvarga"], staff["fontaine"], staff["marsh"], cid["c1"]
    with sent() as statements:
        contact_preferences_get(user=lena, client_id=client_id)
        contact_preferences_set(user=lena, client_id=client_id, prefs=NEUTRAL)
        contact_preferences_get(user=desk, client_id=client_id)
        practice_messaging_set(user=staff["haddad"], callback_phone="253-555-0100")
        reminder_preview(user=desk, client_id=client_id)
        reminder_preview(user=marsh, client_id=client_id)  # the clinician also reads attendance
        reminder_send(user=desk, client_id=client_id, channel="email")
        reminder_send(user=marsh, client_id=client_id, channel="voicemail")
        messages_list(user=desk, client_id=client_id)
    assert_every_statement_names_the_practice(statements, at_least=15)
