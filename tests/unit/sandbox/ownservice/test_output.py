"""A stream's last lines, as the message of a service that stopped shows them: the last 40
lines within 4 KiB, with how many were written in all."""

from __future__ import annotations

from cloudrun_acceptance.sandbox.ownservice.output import TAIL_BYTES, TAIL_LINES, Tail


def test_a_short_output_is_shown_whole():
    tail = Tail("stderr")
    tail.add("boom: no such file or directory")
    assert tail.shown() == ["stderr (1 line):", "  | boom: no such file or directory"]
    assert Tail("stdout").shown() == ["stdout: (nothing)"]


def test_the_last_40_lines_are_kept_and_the_heading_says_how_many_were_written():
    tail = Tail("stdout")
    for number in range(1, 101):
        tail.add(f"line {number}")
    shown = tail.shown()
    assert shown[0] == (
        "stdout, its last 40 of 100 lines (each stream keeps its last 40 lines, at most 4 KiB):"
    )
    assert shown[1:] == [f"  | line {number}" for number in range(61, 101)]
    assert len(shown) - 1 == TAIL_LINES


def test_older_lines_go_first_to_keep_within_4_kib_and_a_lone_long_line_keeps_its_end():
    tail = Tail("stderr")
    for number in range(10):
        tail.add(f"{number}" * 1000)
    lines = tail.lines()
    assert [line[0] for line in lines] == ["6", "7", "8", "9"]
    assert sum(len(line.encode()) + 1 for line in lines) <= TAIL_BYTES
    long = Tail("stderr")
    long.add("x" * 10_000 + " the cause")
    (only,) = long.lines()
    assert only.startswith("...") and only.endswith(" the cause")
    assert len(only.encode()) < TAIL_BYTES
