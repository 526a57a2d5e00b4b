"""Topic tags are keyed per client: a database copy cannot group the clients who share a
sensitive topic, and the practice's promises still find every tagged record."""

from __future__ import annotations

import importlib

from django.apps import apps

from confide.apps.records.models import ProgressNote, TopicTag
from confide.core.crypto import blind_index
from confide.services.keys import practice_index_key
from confide.services.topics import topic_digest, topics_tag, topics_touching

REKEY = importlib.import_module("confide.apps.records.migrations.0006_topic_tags_keyed_per_client").rekey


def _tag(client_id, topic):
    note = ProgressNote.objects.filter(client_id=client_id).first()
    topics_tag(practice_id=note.practice_id, client_id=client_id, record=note, category="progress_notes",
               topics=[topic])
    return note


def test_two_clients_with_one_topic_hold_different_digests_and_promises_still_match(db, cid):
    one, two = _tag(cid["c1"], "abortion"), _tag(cid["c2"], "abortion")
    digests = {t.client_id: t.digest for t in TopicTag.objects.filter(record_id__in=[one.id, two.id])}
    assert len(digests) == 2 and digests[cid["c1"]] != digests[cid["c2"]]
    assert digests[cid["c1"]] == topic_digest(one.practice_id, cid["c1"], "abortion")
    shared = blind_index(practice_index_key(one.practice_id), "topic", "abortion")
    assert shared not in digests.values()
    for client_id, note in ((cid["c1"], one), (cid["c2"], two)):
        assert topics_touching(note.practice_id, client_id, {"progress_notes"}) == frozenset({"abortion"})
        assert topics_touching(note.practice_id, client_id, {"billing"}) == frozenset()


def test_the_migration_rekeys_practice_keyed_tags_and_unlinks_the_unknown_ones(db, cid):
    one, two = _tag(cid["c1"], "abortion"), _tag(cid["c2"], "gardening")
    old_key = practice_index_key(one.practice_id)
    TopicTag.objects.filter(record_id=one.id).update(digest=blind_index(old_key, "topic", "abortion"))
    unknown = blind_index(old_key, "topic", "gardening")
    TopicTag.objects.filter(record_id=two.id).update(digest=unknown)
    extra = TopicTag.objects.get(record_id=two.id)
    extra.pk, extra.client_id, extra.record_id = None, cid["c1"], one.id  # the same unknown topic on c1
    extra.save()
    REKEY(apps, None)
    assert topics_touching(one.practice_id, cid["c1"], {"progress_notes"}) == frozenset({"abortion"})
    assert TopicTag.objects.get(record_id=one.id, digest__startswith="u").digest != \
        TopicTag.objects.get(record_id=two.id).digest
    assert not TopicTag.objects.filter(digest=unknown).exists()
