"""The recognizers an engine runs, by name (Presidio's RecognizerRegistry, smaller)."""

from __future__ import annotations

from .recognizers.address_blocks import AddressBlockRecognizer
from .recognizers.addresses import AddressRecognizer
from .recognizers.ages import AgeRecognizer
from .recognizers.base import Recognizer
from .recognizers.dates import DateRecognizer
from .recognizers.emails import EmailRecognizer
from .recognizers.handles import HandleRecognizer
from .recognizers.ids import IdRecognizer
from .recognizers.names import NameRecognizer
from .recognizers.organizations import OrganizationRecognizer
from .recognizers.phones import PhoneRecognizer
from .recognizers.places import PlaceRecognizer
from .recognizers.record import RecordRecognizer
from .recognizers.urls import UrlRecognizer


class Registry:
    """An ordered set of recognizers with unique names."""

    def __init__(self, recognizers: list[Recognizer] | None = None):
        self._items: dict[str, Recognizer] = {}
        for r in recognizers or []:
            self.add(r)

    def add(self, recognizer: Recognizer) -> None:
        if recognizer.name in self._items:
            raise ValueError(f"a recognizer named {recognizer.name!r} is already registered")
        self._items[recognizer.name] = recognizer

    def remove(self, name: str) -> None:
        self._items.pop(name, None)

    def get(self, name: str) -> Recognizer:
        return self._items[name]

    @property
    def recognizers(self) -> list[Recognizer]:
        return list(self._items.values())

    def __len__(self) -> int:
        return len(self._items)


def default_registry() -> Registry:
    """Every recognizer Confide ships, the record-aware one first."""
    return Registry([
        RecordRecognizer(), NameRecognizer(), DateRecognizer(), AgeRecognizer(), PhoneRecognizer(),
        EmailRecognizer(), UrlRecognizer(), HandleRecognizer(), AddressRecognizer(), AddressBlockRecognizer(), PlaceRecognizer(),
        OrganizationRecognizer(), IdRecognizer(),
    ])
