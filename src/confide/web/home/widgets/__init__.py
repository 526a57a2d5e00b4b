"""The pieces of each role's home page. Each module in this package registers its
widgets with `@widget(...)`: a partial template, the roles that see it, its place on
the page, and a function of the request that returns the template's context (None:
nothing to show). The home page finds every module here by itself, so a feature adds
its widget as one new module and one new template, without editing the others.

    @widget(template="web/home/_notes_to_sign.html", roles={"clinician", "supervisor"}, order=20)
    def notes_to_sign(request):
        return {"notes": charting.notes_unsigned(user=request.user)}
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

WIDGETS: list[Widget] = []


@dataclass(frozen=True)
class Widget:
    name: str
    template: str
    roles: frozenset[str]
    order: int
    context: Callable


def widget(*, template: str, roles, order: int = 50):
    def register(fn):
        WIDGETS.append(Widget(f"{fn.__module__}.{fn.__name__}", template, frozenset(roles), order, fn))
        return fn
    return register


def discover() -> None:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def widgets_for(role: str) -> list[Widget]:
    discover()
    return sorted((w for w in WIDGETS if role in w.roles), key=lambda w: (w.order, w.name))
