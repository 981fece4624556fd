"""Shared pytest options, fixtures and hypothesis profiles for the atribut-rules test suite.

Helpers that tests import live in ``helpers.py`` (running, loading, comparing) and
``support.py`` (building rule documents, zones and report tables).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import EXAMPLE
from hypothesis import settings

# Hypothesis profiles, chosen with HYPOTHESIS_PROFILE: "fast" (the default, for every run
# of the suite) tries a quarter of the examples each property is written for; "thorough"
# five times that number, for a long run before a release or after changing a reader, the
# engine or a writer.
# Properties that set their own count scale it with ``helpers.examples``.
settings.register_profile("fast", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with --update-golden."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def example_dir() -> Path:
    """The bundled Pangkalpinang example folder."""
    return EXAMPLE


@pytest.fixture(scope="session")
def golden_dir() -> Path:
    return Path(__file__).resolve().parent / "golden"
