"""Half-open date ranges [start, end): a stay from the 3rd to the 5th holds the nights of the
3rd and the 4th, and the 5th is free for the next arrival."""
from collections.abc import Iterable
from datetime import date

DateRange = tuple[date, date]


def merge_ranges(ranges: Iterable[DateRange]) -> list[DateRange]:
    """Sorted, empty ranges dropped, overlapping and touching ones joined ([a, b) + [b, c) = [a, c))."""
    merged: list[DateRange] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
