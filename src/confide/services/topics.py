"""Topics the practice promised never to report or disclose without a release naming
them (DESIGN.md promise 13). Records are tagged with keyed digests of their topics, so
the database never holds the word; the PDP is told which promised topics a disclosure
touches. The key is the client's own (a subkey of the practice index key bound to the
client id), so two clients tagged with the same topic hold different digests and a copy
of the database cannot group the clients who share a sensitive topic."""

from __future__ import annotations

import re

from confide.apps.records.models import TopicTag
from confide.core.crypto import blind_index, derive_subkey
from confide.core.errors import InvalidInput
from confide.services.keys import practice_index_key
from confide.services.policy import rules

TOPIC = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


def client_topic_key(practice_id, client_id) -> bytes:
    """The key a client's topic tags are digested under."""
    return derive_subkey(practice_index_key(practice_id), f"confide.topic-tag.{client_id}")


def topic_digest(practice_id, client_id, topic: str) -> str:
    return blind_index(client_topic_key(practice_id, client_id), "topic", topic)


def check_topics(topics) -> list[str]:
    """Validate a list of topic tags from outside (lower-case slugs)."""
    if topics is None:
        return []
    if not isinstance(topics, (list, tuple)) or len(topics) > 20:
        raise InvalidInput("topics: give a list of at most 20 tags")
    for topic in topics:
        if not isinstance(topic, str) or not TOPIC.match(topic):
            raise InvalidInput("topics: each tag is lower-case letters, digits and underscores (2 to 41)")
    return sorted(set(topics))


def topics_tag(*, practice_id, client_id, record, category: str, topics) -> None:
    """Tag a record with topics (inside the caller's transaction)."""
    key = client_topic_key(practice_id, client_id)
    TopicTag.objects.bulk_create([
        TopicTag(practice_id=practice_id, client_id=client_id, record_model=type(record).__name__,
                 record_id=record.id, category=category, digest=blind_index(key, "topic", t)) for t in topics])


def promise_topics() -> frozenset[str]:
    return frozenset().union(*(r.when.topics or frozenset() for r in rules().promises()))


def topics_touching(practice_id, client_id, categories, incident_id=None) -> frozenset[str]:
    """The promised topics that the client's records in `categories` are tagged with.
    Of incidents, only the one being disclosed (`incident_id`) counts."""
    key = client_topic_key(practice_id, client_id)
    by_digest = {blind_index(key, "topic", t): t for t in promise_topics()}
    if not by_digest:
        return frozenset()
    tags = TopicTag.objects.filter(practice_id=practice_id, client_id=client_id, digest__in=list(by_digest))
    cats = set(categories)
    found = set(tags.filter(category__in=list(cats - {"incident"})).values_list("digest", flat=True))
    if "incident" in cats and incident_id is not None:
        found |= set(tags.filter(category="incident", record_id=incident_id).values_list("digest", flat=True))
    return frozenset(by_digest[d] for d in found)
