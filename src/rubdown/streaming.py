"""JSON values written piece by piece (``render.write_json``): a list whose
items come one at a time, a value computed only when the writer reaches it,
and the object that holds them. ``app`` builds documents of them, ``render``
writes them; neither knows the other's work."""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


class Items:
    """A JSON list whose items are produced as it is written: one by one, or
    (``batches``) a list of them at a time, encoded together (faster)."""

    __slots__ = ("items", "batches")

    def __init__(self, items: Iterable[object], *, batches: bool = False) -> None:
        self.items = items
        self.batches = batches


class Later:
    """A JSON value computed when the writer reaches it: after everything
    written before it (a section whose numbers the earlier ones gather)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


class Fields(dict):
    """A JSON object whose values may be ``Items`` or ``Later``: the writer
    writes it key by key (any other dict is written at once)."""

    __slots__ = ()
