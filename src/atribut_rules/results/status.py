"""The status rule: one report's status from its findings, in one place.

An invalid row is ``invalid``. Otherwise the first that holds of: a violation finding
(``violation``), a finding in doubt (``review``), a rule that applies but could not be
checked (``unchecked``), a finding a permit exempts (``exempt``); else ``ok``. The
engine decides on whole arrays with :func:`status_codes`; a verdict joined from parts
(per-report and whole-list findings) with :func:`status_of`. Both read :data:`RULE`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..model import STATUS_CODES, Status

RULE = (Status.VIOLATION, Status.REVIEW, Status.UNCHECKED, Status.EXEMPT)
"""What decides a valid report's status, first match wins; none: ``ok``."""
CODE = {s: i for i, s in enumerate(STATUS_CODES)}


def status_codes(
    n: int,
    *,
    violation: np.ndarray,
    review: np.ndarray,
    unchecked: np.ndarray,
    exempt: np.ndarray,
    valid: np.ndarray,
) -> np.ndarray:
    """Each of ``n`` reports' status as an index into ``STATUS_CODES``, from boolean masks."""
    masks = {
        Status.VIOLATION: violation,
        Status.REVIEW: review,
        Status.UNCHECKED: unchecked,
        Status.EXEMPT: exempt,
    }
    status = np.full(n, CODE[Status.OK], dtype=np.int8)
    for s in reversed(RULE):  # the first in the rule is set last, so it wins
        status[masks[s]] = CODE[s]
    status[~valid] = CODE[Status.INVALID]
    return status


def status_of(finding_statuses: Iterable[Status], *, unchecked: bool, valid: bool = True) -> Status:
    """One report's status from its findings' statuses (and whether a rule was left unchecked)."""
    if not valid:
        return Status.INVALID
    found = set(finding_statuses)
    if unchecked:
        found.add(Status.UNCHECKED)
    return next((s for s in RULE if s in found), Status.OK)
