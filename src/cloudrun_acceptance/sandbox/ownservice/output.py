"""The last lines a process wrote on one stream, kept for the message that says why it stopped:
the last ``TAIL_LINES`` lines, within ``TAIL_BYTES`` (UTF-8), and how many it wrote in all."""

from __future__ import annotations

from collections import deque

TAIL_LINES = 40
TAIL_BYTES = 4096
CAP = f"each stream keeps its last {TAIL_LINES} lines, at most {TAIL_BYTES // 1024} KiB"


class Tail:
    """One stream's last lines; ``add`` is called by the stream's reader thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.total = 0
        self._lines: deque[str] = deque(maxlen=TAIL_LINES)

    def add(self, line: str) -> None:
        self._lines.append(line)
        self.total += 1

    def lines(self) -> list[str]:
        """The kept lines, oldest first, within TAIL_BYTES (older lines dropped first; a lone
        line longer than that keeps its end, where an error usually says what failed)."""
        kept = list(self._lines)
        size = sum(len(line.encode()) + 1 for line in kept)
        while len(kept) > 1 and size > TAIL_BYTES:
            size -= len(kept.pop(0).encode()) + 1
        if kept and size > TAIL_BYTES:
            end = kept[0].encode()[-(TAIL_BYTES - 4) :].decode(errors="ignore")
            kept[0] = "..." + end
        return kept

    def shown(self) -> list[str]:
        """A heading and the kept lines, each behind ``| ``, for a message's evidence."""
        lines = self.lines()
        if not lines:
            return [f"{self.name}: (nothing)"]
        cut = len(lines) < self.total
        heading = (
            f"{self.name}, its last {len(lines)} of {self.total} lines ({CAP}):"
            if cut
            else f"{self.name} ({self.total} line{'s' if self.total != 1 else ''}):"
        )
        return [heading, *(f"  | {line}" for line in lines)]
