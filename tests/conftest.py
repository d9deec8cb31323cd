"""Shared fixtures: where the seeds are, and a seeded random source."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def seed_paths() -> list[Path]:
    """The seed reports shipped in ../shared/seeds (plain text with expected records)."""
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20261123)
