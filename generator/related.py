"""Related stories: those that share the most people, organizations and topics with a story.

Comparing every story with every other is quadratic: 100 million pairs at 10 000 stories.
An inverted index (key → stories that have it) finds the candidates instead. A key that
many stories share (a topic) still links each story to thousands, so for each key only the
``window`` stories nearest in date on either side are candidates; below that size, which covers
any small site, the result is exactly the all-pairs one. Candidates are then scored exactly.
Cost: stories × keys × window.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from collections.abc import Set as AbstractSet
from typing import TypeVar

T = TypeVar("T")

WINDOW = 40
"""Candidates taken on each side, in date order, from each key's list of stories."""
SHORTLIST = 25
"""Candidates, best by windowed count, that are scored exactly."""


def related(
    stories: Sequence[T],
    keys_of: Callable[[T], AbstractSet[Hashable]],
    name_of: Callable[[T], str],
    limit: int = 5,
    window: int = WINDOW,
) -> list[list[T]]:
    """For each story (in the given order, e.g. by date), up to ``limit`` related ones, best first.

    Best is most keys shared, then by name, as an all-pairs comparison would rank them.
    """
    keys = [keys_of(story) for story in stories]
    names = [name_of(story) for story in stories]
    postings: dict[Hashable, list[int]] = {}
    places: list[dict[Hashable, int]] = []
    for number, story_keys in enumerate(keys):
        where = {}
        for key in story_keys:
            posting = postings.setdefault(key, [])
            where[key] = len(posting)
            posting.append(number)
        places.append(where)
    found: list[list[T]] = []
    for number, story_keys in enumerate(keys):
        counts: dict[int, int] = {}
        for key, at in places[number].items():
            posting = postings[key]
            for other in posting[max(0, at - window) : at + window + 1]:
                counts[other] = counts.get(other, 0) + 1
        counts.pop(number, None)
        shortlist = sorted(counts, key=lambda o: (-counts[o], names[o]))[:SHORTLIST]
        scored = sorted((-len(story_keys & keys[o]), names[o], o) for o in shortlist)
        found.append([stories[o] for _, _, o in scored[:limit]])
    return found
