"""A column of each group's first row, read in the same aggregate pass as the group.

Reports need "the score of the first pre-test attempt" or "the quiz version of the first
scored attempt" per person. Finding the first row's id with MIN(id) and joining back to
the table for its other columns reads the table a second time; here the id and the wanted
value travel together in one BIGINT, ``id * 2**31 + value``, whose MIN is the first row's
pair, on any database (no window function, no DISTINCT ON). Values must be integers in
[0, 2**31): ids, or scores in hundredths of a percent.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, cast, func

SHIFT = 2**31
# Stands for "no value" (an attempt closed without a score): larger than any score.
MISSING = SHIFT - 1


def packed(row_id, value):
    """``row_id`` and ``value`` in one BIGINT that orders like ``row_id``."""
    return cast(row_id, BigInteger) * SHIFT + cast(value, BigInteger)


def packed_percent(row_id, percent):
    """``row_id`` with a percentage in hundredths (scores are stored floored to 2 decimals,
    so this is exact), or MISSING when it is NULL."""
    hundredths = func.coalesce(cast(func.round(percent * 100), Integer), MISSING)
    return packed(row_id, hundredths)


def row_id_of(key):
    return key // SHIFT


def value_of(key):
    return key % SHIFT
