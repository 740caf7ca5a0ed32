"""How a programme's participants spread over its institutions, as in real programmes: a few
large ministries, many small municipalities.

Sizes fall geometrically from the largest institution, which holds 10 % of the participants
(at 20,000 participants: 50 institutions, the largest with 2,000, the five largest with about
40 % of everyone, the smallest with a dozen). Pure: numbers in, numbers out.
"""

from __future__ import annotations

import math

LARGEST_SHARE = 0.10
MAX_INSTITUTIONS = 50
MIN_INSTITUTIONS = 3
PER_INSTITUTION = 40  # below 2,000 participants: one institution per 40


def institution_count(participants: int) -> int:
    """50 from 2,000 participants up; one per 40 below that, at least 3."""
    return max(MIN_INSTITUTIONS, min(MAX_INSTITUTIONS, participants // PER_INSTITUTION))


def institution_sizes(participants: int) -> list[int]:
    """Participants per institution, largest first, adding up to ``participants``; each
    institution has at least one when there are enough participants to go round."""
    if participants <= 0:
        return []
    count = min(institution_count(participants), participants)
    # With few institutions the largest must hold more than an equal share.
    largest = min(1.0, max(LARGEST_SHARE, 1.5 / count)) * participants
    ratio = _ratio(count, participants / largest)
    exact = [largest * ratio**k for k in range(count)]
    sizes = [max(1, math.floor(size)) for size in exact]
    # Largest remainders first, then the smallest institutions, until the sum is exact.
    order = sorted(range(count), key=lambda k: (-(exact[k] - math.floor(exact[k])), -k))
    k = 0
    while sum(sizes) < participants:
        sizes[order[k % count]] += 1
        k += 1
    while sum(sizes) > participants:
        biggest_small = max((k for k in range(count) if sizes[k] > 1), key=lambda k: k)
        sizes[biggest_small] -= 1
    return sizes


def _ratio(count: int, total: float) -> float:
    """r such that 1 + r + ... + r**(count - 1) = total (1 <= total <= count), by bisection."""
    low, high = 0.0, 1.0
    for _ in range(100):
        middle = (low + high) / 2
        if sum(middle**k for k in range(count)) < total:
            low = middle
        else:
            high = middle
    return (low + high) / 2
