"""Key management: the master key ring, per-client data keys, practice index keys.

Data keys are unwrapped on demand and cached briefly in memory; shredding a client
evicts its key and deletes the wrapped copy, after which its ciphertexts are noise.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Callable

from django.conf import settings
from django.db import transaction

from confide.apps.practice.models import InstanceKey, Practice, PracticeKey
from confide.apps.records.models import BlindIndex, Client, ClientKey
from confide.core.audit import SEAL_KEY_PURPOSE, Sealer
from confide.core.crypto import KeyRing, new_data_key
from confide.core.errors import NotFound

log = logging.getLogger("confide.keys")

_ring: KeyRing | None = None
_ring_lock = threading.Lock()
_CACHE_SECONDS = 60.0
_CACHE_SIZE = 512


def keyring() -> KeyRing:
    """The master key ring, created (mode 0600) on first use."""
    global _ring
    with _ring_lock:
        if _ring is None:
            path = settings.CONFIDE["MASTER_KEY_FILE"]
            _ring, created = KeyRing.load_or_create(path)
            if created:
                log.warning("created master key %s (mode 0600); production keeps it off the database host", path)
        return _ring


def reset_keyring() -> None:
    """Forget the loaded ring and cached keys (tests, and after a rotation in-process)."""
    global _ring, _sealer
    with _ring_lock:
        _ring = None
        _sealer = None
    _cache.clear()


class _KeyCache:
    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[1] < time.monotonic():
                self._items.pop(key, None)
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._items[key] = (value, time.monotonic() + _CACHE_SECONDS)
            self._items.move_to_end(key)
            while len(self._items) > _CACHE_SIZE:
                self._items.popitem(last=False)

    def drop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_cache = _KeyCache()


def _client_context(client_id) -> bytes:
    return f"client-data-key:{client_id}".encode()


def _practice_context(practice_id) -> bytes:
    return f"practice-index-key:{practice_id}".encode()


def client_key_new() -> bytes:
    """A fresh data key for a client about to be created."""
    return new_data_key()


def client_key_store(client, dek: bytes) -> None:
    """Wrap and store a client's data key (inside the transaction that creates the client)."""
    key_id, wrapped = keyring().wrap(dek, context=_client_context(client.pk))
    ClientKey.objects.create(client=client, practice_id=client.practice_id, master_key_id=key_id, wrapped=wrapped)
    _cache.put(f"c:{client.pk}", dek)


def client_data_key(client_id, practice_id=None) -> bytes:
    """The client's data key; NotFound once the client has been shredded. `practice_id`:
    the client's practice, which the lookup names when the process's cache misses (on
    Citus a read of that practice's shard alone; a key of another practice's client is
    then not found). Every service passes it (tests/services/test_distribution.py reads
    them for it) but the outbox, whose sealed files name their client alone."""
    cached = _cache.get(f"c:{client_id}")
    if cached is not None:
        return cached
    rows = ClientKey.objects.filter(client_id=client_id)
    if practice_id is not None:
        rows = rows.filter(practice_id=practice_id)
    row = rows.only("master_key_id", "wrapped").first()
    if row is None:
        raise NotFound()
    dek = keyring().unwrap(row.master_key_id, bytes(row.wrapped), context=_client_context(client_id))
    _cache.put(f"c:{client_id}", dek)
    return dek


def data_key_of(of) -> bytes:
    """The data key of a client (a Client), or of the client a row belongs to (any
    tenant row: it carries `client_id` and `practice_id`), looked up in its practice."""
    if isinstance(of, Client):
        return client_data_key(of.id, of.practice_id)
    return client_data_key(of.client_id, of.practice_id)


def client_keys_wrap(deks: dict) -> dict:
    """Wrap many new clients' data keys at once (the demo's bulk path): client id ->
    (master key id, wrapped key), each bound to its client as `client_key_store` binds it."""
    ring = keyring()
    out = {}
    for cid, dek in deks.items():
        out[cid] = ring.wrap(dek, context=_client_context(cid))
        _cache.put(f"c:{cid}", dek)
    return out


def client_data_keys(client_ids, practice_id) -> dict:
    """The data keys of many clients of one practice: cached ones as they are, the rest
    fetched in one query (naming the practice) and unwrapped. A shredded client (no key
    left) is absent from the answer."""
    out, missing = {}, []
    for cid in client_ids:
        cached = _cache.get(f"c:{cid}")
        if cached is not None:
            out[cid] = cached
        else:
            missing.append(cid)
    if missing:
        ring = keyring()
        rows = ClientKey.objects.filter(practice_id=practice_id, client_id__in=missing)
        for row in rows.only("client_id", "master_key_id", "wrapped"):
            dek = ring.unwrap(row.master_key_id, bytes(row.wrapped), context=_client_context(row.client_id))
            _cache.put(f"c:{row.client_id}", dek)
            out[row.client_id] = dek
    return out


def practice_index_key(practice_id) -> bytes:
    """The practice's index key (blind indexes, audit pseudonyms), created on first use."""
    cached = _cache.get(f"p:{practice_id}")
    if cached is not None:
        return cached
    row = PracticeKey.objects.filter(practice_id=practice_id).first()
    if row is None:
        dek = new_data_key()
        key_id, wrapped = keyring().wrap(dek, context=_practice_context(practice_id))
        PracticeKey.objects.create(practice_id=practice_id, master_key_id=key_id, wrapped=wrapped)
    else:
        dek = keyring().unwrap(row.master_key_id, bytes(row.wrapped), context=_practice_context(practice_id))
    _cache.put(f"p:{practice_id}", dek)
    return dek


def _instance_context(purpose: str) -> bytes:
    return f"instance-key:{purpose}".encode()


INSTANCE_PURPOSES = ("accounts", "outbox")


def instance_key(purpose: str) -> bytes:
    """A key of the installation (not of one practice), random, wrapped by the master
    key and created on first use; callers derive their own subkeys from it."""
    if purpose not in INSTANCE_PURPOSES:
        raise ValueError(f"unknown instance key purpose {purpose!r}")
    cached = _cache.get(f"i:{purpose}")
    if cached is not None:
        return cached
    row = InstanceKey.objects.filter(purpose=purpose).first()
    if row is None:
        dek = new_data_key()
        key_id, wrapped = keyring().wrap(dek, context=_instance_context(purpose))
        with transaction.atomic():
            InstanceKey.objects.get_or_create(purpose=purpose, defaults={"master_key_id": key_id, "wrapped": wrapped})
        row = InstanceKey.objects.get(purpose=purpose)
    dek = keyring().unwrap(row.master_key_id, bytes(row.wrapped), context=_instance_context(purpose))
    _cache.put(f"i:{purpose}", dek)
    return dek


def client_key_shred(client_id, practice_id) -> None:
    """Crypto-shredding: delete the client's data key (of the client of that practice).
    Irreversible.

    The blind indexes go too: they are keyed by the practice key, not the client's, so
    left behind they would still confirm a guessed name, email or phone."""
    with transaction.atomic():
        ClientKey.objects.filter(practice_id=practice_id, client_id=client_id).delete()
        BlindIndex.objects.filter(practice_id=practice_id, client_id=client_id).delete()
    _cache.drop(f"c:{client_id}")


_sealer: tuple[tuple, Sealer] | None = None


def audit_sealer(*, reload: bool = False) -> Sealer:
    """Seals audit entries under a key derived from the current master key, and
    checks what every key in the ring sealed. Rebuilt when the ring changes
    (`reload`: read the key file again even if it looks unchanged)."""
    global _sealer
    ring = keyring()
    if reload:
        ring.reload()
    ring.refresh()
    state = (ring.current_id, ring.key_ids)
    cached = _sealer
    if cached is not None and cached[0] == state:
        return cached[1]
    sealer = Sealer(ring.derive_all(SEAL_KEY_PURPOSE), ring.current_id)
    _sealer = (state, sealer)
    return sealer


def keys_rewrap(*, new_id: str, progress: Callable[[int, int], None] | None = None, batch: int = 200) -> int:
    """Re-wrap every data key not yet wrapped by master key `new_id` under it; returns
    how many. Each batch commits on its own, so an interrupted run resumes."""
    ring = keyring()
    total = (ClientKey.objects.exclude(master_key_id=new_id).count()
             + PracticeKey.objects.exclude(master_key_id=new_id).count()
             + InstanceKey.objects.exclude(master_key_id=new_id).count())
    done = 0
    # A practice at a time (ClientKey and PracticeKey are distributed on the practice,
    # and a row lock names it: Citus locks rows on one shard only); then the
    # installation's keys.
    practices = list(Practice.objects.order_by("id").values_list("id", flat=True))
    scopes = ([(ClientKey, lambda r: _client_context(r.pk), p) for p in practices]
              + [(PracticeKey, lambda r: _practice_context(r.pk), p) for p in practices]
              + [(InstanceKey, lambda r: _instance_context(r.pk), None)])
    for model, context, practice_id in scopes:
        while True:
            with transaction.atomic():
                pending = model.objects.select_for_update().exclude(master_key_id=new_id)
                if practice_id is not None:
                    pending = pending.filter(practice_id=practice_id)
                rows = list(pending[:batch])
                if not rows:
                    break
                for row in rows:
                    ctx = context(row)
                    plain = ring.unwrap(row.master_key_id, bytes(row.wrapped), context=ctx)
                    key_id, wrapped = ring.wrap(plain, context=ctx)
                    row.master_key_id, row.wrapped = key_id, wrapped
                # The UPDATE names the practice too: one shard, not every one.
                scope = model.objects.filter(practice_id=practice_id) if practice_id is not None else model.objects
                scope.bulk_update(rows, ["master_key_id", "wrapped"])
            done += len(rows)
            if progress:
                progress(done, total)
    return done


def keys_in_use() -> set[str]:
    """The master keys that still wrap a data key."""
    in_use = set(ClientKey.objects.values_list("master_key_id", flat=True).distinct())
    in_use |= set(InstanceKey.objects.values_list("master_key_id", flat=True).distinct())
    return in_use | set(PracticeKey.objects.values_list("master_key_id", flat=True).distinct())


__all__ = ["keyring", "audit_sealer", "client_key_new", "client_key_store", "client_data_key", "client_data_keys",
           "client_keys_wrap", "practice_index_key", "instance_key",
           "client_key_shred", "keys_rewrap", "keys_in_use", "reset_keyring"]
