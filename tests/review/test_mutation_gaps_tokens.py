"""Verify tokens (and the other ids in URLs) cannot be guessed (issue 12).

A token made sequential but kept 32 characters long passed the old tests,
which looked only at its length and that two differ. Here tokens must carry
``secrets`` grade randomness: every bit from the operating system's random
source (nothing from a counter or the clock), and many of them look like
uniform random strings (no shared prefixes beyond chance, not increasing,
every character of the URL-safe alphabet about equally often).
"""

from __future__ import annotations

import base64
import random
import string
from collections import Counter

import pytest

from filings.models import new_key
from review import certificates as certs
from review.models import new_public_id, new_token
from tests.review.certtestapp.factories import ProgrammeFactory
from tests.review.certtestapp.workflow import KIND

URLSAFE = set(string.ascii_letters + string.digits + "-_")


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def randomness_problems(tokens: list[str], length: int) -> list[str]:
    """What makes these tokens look non-random (empty: nothing found).

    The bounds are far outside what uniform random strings reach (each fails
    with probability well below one in a million), and far inside what a
    counter, a timestamp or a padded sequence number gives.
    """
    problems = []
    n = len(tokens)
    if any(len(t) != length for t in tokens):
        problems.append(f"lengths {sorted({len(t) for t in tokens})}, expected {length}")
    if any(set(t) - URLSAFE for t in tokens):
        problems.append("characters outside the URL-safe alphabet")
    if len(set(tokens)) != n:
        problems.append(f"{n - len(set(tokens))} repeated")
    ordered = sorted(tokens)
    longest = max(_common_prefix(a, b) for a, b in zip(ordered, ordered[1:], strict=False))
    if longest > 6:  # 64**-6 per pair: never for a few thousand random tokens
        problems.append(f"two tokens share a prefix of {longest} characters")
    ascents = sum(a < b for a, b in zip(tokens, tokens[1:], strict=False))
    if not 0.35 * (n - 1) <= ascents <= 0.65 * (n - 1):
        problems.append(f"{ascents} of {n - 1} consecutive pairs increase (random: about half)")
    counts = Counter("".join(tokens))
    expected = n * length / 64
    chi2 = sum((counts.get(c, 0) - expected) ** 2 / expected for c in URLSAFE)
    if chi2 > 160:  # 63 degrees of freedom: mean 63, sd 11; 160 is p < 1e-9
        problems.append(f"characters unevenly used (chi-square {chi2:.0f} on 63 degrees of freedom)")
    return problems


def test_the_check_refuses_a_sequential_32_character_token():
    """The check itself: what a counter gives is caught, what ``secrets`` gives passes."""
    sequential = [f"{i:032d}" for i in range(1000)]
    padded_b64 = [base64.urlsafe_b64encode(i.to_bytes(24, "big")).decode() for i in range(1000)]
    assert randomness_problems(sequential, 32)
    assert randomness_problems(padded_b64, 32)
    import secrets

    assert randomness_problems([secrets.token_urlsafe(24) for _ in range(1000)], 32) == []


@pytest.mark.parametrize(
    ("generator", "length"),
    [(new_token, 32), (new_public_id, 16), (new_key, 16)],
    ids=["verify_token", "public_id", "file_token"],
)
def test_generators_look_uniformly_random(generator, length):
    assert randomness_problems([generator() for _ in range(2000)], length) == []


@pytest.mark.parametrize(
    ("generator", "nbytes"),
    [(new_token, 24), (new_public_id, 12), (new_key, 12)],
    ids=["verify_token", "public_id", "file_token"],
)
def test_every_bit_comes_from_the_operating_system_random_source(generator, nbytes, monkeypatch):
    """With the OS source (what ``secrets`` reads) fixed, the token is fixed: no counter, no clock."""
    source = bytes(range(7, 7 + nbytes))
    monkeypatch.setattr(random, "_urandom", lambda n: source[:n])
    first, second = generator(), generator()
    assert first == second == base64.urlsafe_b64encode(source).decode().rstrip("=")


@pytest.mark.django_db
def test_issued_certificates_carry_random_verify_tokens():
    tokens = []
    for _ in range(120):
        programme = ProgrammeFactory()
        tokens.append(certs.issue_certificate(KIND, programme.pk).token)
    assert randomness_problems(tokens, 32) == []
