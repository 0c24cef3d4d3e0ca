"""Many floats in little memory, for a median at the end (a long report's lags
and gaps): 8 bytes each, sorted a block at a time, merged when asked."""

from __future__ import annotations

from itertools import islice

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from array import array

#: Floats sorted together; a block sorts through a list of this many only.
BLOCK = 4096


class Floats:
    """Floats added one at a time; their ``median`` (as ``statistics.median``
    gives it) and ``max``, computed without a Python object per float beyond
    the last ``BLOCK``."""

    __slots__ = ("blocks", "current", "count", "largest")

    def __init__(self) -> None:
        self.blocks: list[array] = []  # each sorted
        self.current: list[float] = []
        self.count = 0
        self.largest: float | None = None

    def append(self, value: float) -> None:
        self.current.append(value)
        self.count += 1
        if self.largest is None or value > self.largest:
            self.largest = value
        if len(self.current) >= BLOCK:
            from array import array  # here: a short report never fills a block

            self.current.sort()
            self.blocks.append(array("d", self.current))
            self.current = []

    def __len__(self) -> int:
        return self.count

    def max(self) -> float:
        if self.largest is None:
            raise ValueError("no floats")
        return self.largest

    def median(self) -> float:
        """The middle value, or the mean of the two middle ones."""
        if not self.count:
            raise ValueError("no floats")
        from heapq import merge

        self.current.sort()
        ordered = iter(merge(*self.blocks, self.current) if self.blocks else self.current)
        middle = self.count // 2
        if self.count % 2:
            return next(islice(ordered, middle, None))
        low, high = islice(ordered, middle - 1, middle + 1)
        return (low + high) / 2
