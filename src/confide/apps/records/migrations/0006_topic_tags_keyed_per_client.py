"""Topic tags re-keyed per client: a tag digested under the practice key is the same for
every client with that topic, so a database copy could group them.

The word is not stored, so a tag is re-keyed by recognising its old digest among the
topics the practice's promises name (the only topics a tag is ever matched against).
A tag that names no promised topic cannot be recovered; it is re-keyed by digesting the
old digest under the client's key, which keeps it distinct and no longer shared across
clients (it matched nothing before and matches nothing after)."""

import hashlib
import hmac

from django.db import migrations


def rekey(apps, schema_editor):
    from confide.core.crypto import blind_index
    from confide.services.keys import practice_index_key
    from confide.services.topics import client_topic_key, promise_topics

    TopicTag = apps.get_model("records", "TopicTag")
    topics = sorted(promise_topics())
    old_by_practice = {}
    for tag in TopicTag.objects.all().order_by("pk").iterator():
        old = old_by_practice.get(tag.practice_id)
        if old is None:
            old = old_by_practice[tag.practice_id] = {
                blind_index(practice_index_key(tag.practice_id), "topic", t): t for t in topics}
        key = client_topic_key(tag.practice_id, tag.client_id)
        topic = old.get(tag.digest)
        if topic is not None:
            tag.digest = blind_index(key, "topic", topic)
        else:
            tag.digest = "u" + hmac.new(key, b"unrecoverable\x00" + tag.digest.encode(), hashlib.sha256).hexdigest()[:31]
        tag.save(update_fields=["digest"])


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0005_progress_note_signing"),
        ("practice", "0007_accounts_sealed"),
    ]

    operations = [migrations.RunPython(rekey)]  # irreversible: the shared digests are not kept
