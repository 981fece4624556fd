"""Shared pytest options and fixtures for the atribut-rules test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from atribut_rules import resources

REPO = Path(__file__).resolve().parents[1]


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
    return resources.example_dir()


@pytest.fixture(scope="session")
def golden_dir() -> Path:
    return Path(__file__).resolve().parent / "golden"
