"""Every stored client field belongs to exactly one information category, and every
encrypted column is binary (never plaintext)."""

from __future__ import annotations

import pytest
from django.db import models

from confide.apps.records.models import CLIENT_MODELS, STRUCTURAL_FIELDS
from confide.core.policy import CATEGORIES


@pytest.mark.parametrize("model", CLIENT_MODELS, ids=lambda m: m.__name__)
def test_every_field_has_one_category(model):
    for field in model._meta.concrete_fields:
        name = field.name
        if name in STRUCTURAL_FIELDS:
            continue
        assert name in model.CATEGORY_OF, f"{model.__name__}.{name} has no information category"
        assert model.CATEGORY_OF[name] in CATEGORIES
    assert set(model.CATEGORY_OF) <= {f.name for f in model._meta.concrete_fields}


@pytest.mark.parametrize("model", CLIENT_MODELS, ids=lambda m: m.__name__)
def test_free_text_is_encrypted(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and not isinstance(field, models.UUIDField):
            # Fixed vocabularies (a status, a channel, a model or category name) and keyed
            # digests; nothing a person wrote.
            assert field.name in ("relationship", "status", "kind", "channel", "record_model", "category",
                                  "digest"), f"{model.__name__}.{field.name} stores plaintext text"
