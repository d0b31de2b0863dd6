"""Requests as readers make them: a few pages very often, most pages rarely (Zipf's law).

zipf_sequence() draws `length` items from a population ranked most popular first, item k (from 1) with a weight
of 1/k**s; the same seed gives the same sequence. With s = 1.1 over 20,000 pages the first 200 take about two
thirds of the requests, the pages past rank 1,000 about a fifth, and 200,000 requests reach some 14,000 pages.
"""

import random
from collections.abc import Sequence
from itertools import accumulate

S = 1.1


def zipf_sequence[T](population: Sequence[T], *, length: int, seed: int, s: float = S) -> list[T]:
    cumulative = list(accumulate(1 / k**s for k in range(1, len(population) + 1)))
    return random.Random(seed).choices(population, cum_weights=cumulative, k=length)
