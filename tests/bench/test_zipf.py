"""The request order of bench.traffic: a long tail that is reproducible and as skewed as its docstring says."""

from collections import Counter

from bench.zipf import zipf_sequence

POPULATION = [f"/sources/s-{i}/" for i in range(20_000)]


def test_the_same_seed_gives_the_same_sequence_and_another_seed_another():
    one = zipf_sequence(POPULATION, length=5_000, seed=1934)
    assert one == zipf_sequence(POPULATION, length=5_000, seed=1934)
    assert one != zipf_sequence(POPULATION, length=5_000, seed=1935)


def test_a_few_pages_take_most_requests_and_the_tail_is_long():
    sequence = zipf_sequence(POPULATION, length=200_000, seed=1934)
    counts = Counter(sequence)
    top = sum(counts[page] for page in POPULATION[:200]) / len(sequence)
    past_1000 = sum(counts[page] for page in POPULATION[1000:]) / len(sequence)
    assert 0.6 < top < 0.75  # 1 % of the pages, two thirds of the requests
    assert 0.15 < past_1000 < 0.25
    assert 13_000 < len(counts) < 15_500  # distinct pages reached
    assert counts[POPULATION[0]] > counts[POPULATION[9]] > counts[POPULATION[999]]  # rank decides
