"""JSON values written piece by piece (``render.write_json``): a list whose
items come one at a time, and a value computed only when the writer reaches
it. ``app`` builds documents of them; ``render`` writes them; neither knows
the other's work."""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


class Items:
    """A JSON list whose items are produced one by one as it is written."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


class Later:
    """A JSON value computed when the writer reaches it: after everything
    written before it (a section whose numbers the earlier ones gather)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make
