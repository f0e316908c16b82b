"""Run the fault matrix and print it as a Markdown table for docs/reliability.md.

Rows are faults (a test and its fault parameter), columns are adapters; a cell is ``pass`` or
``FAIL`` and the number of jobs the provider server accepted (billed) in that case. Usage::

    python -m tests.faults.matrix_report            # from the repository root
    python -m tests.faults.matrix_report -k sora    # any extra pytest arguments
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
FILES = ("test_matrix.py", "test_matrix_flight.py")
ADAPTERS = ("fal", "runway", "luma", "replicate", "veo", "sync", "sora", "elevenlabs", "openai")

#: test function -> what the row says (the fault parameter is appended).
ROWS = {
    "test_unreachable_provider_is_out_for_the_run_and_falls_back_at_once": (
        "unreachable (before send)"
    ),
    "test_429_with_retry_after_waits_as_told_then_one_is_accepted": "429 + Retry-After (submit)",
    "test_5xx_without_accepting_is_reconciled_before_any_second_submission": (
        "5xx, not accepted (submit)"
    ),
    "test_lost_submission_answer_never_pays_twice": "answer lost after accept (submit)",
    "test_refusal_is_never_resubmitted_to_the_refusing_model": "moderation refusal",
    "test_out_of_credit_puts_the_provider_out_for_the_run": "out of credit (submit)",
    "test_unclassified_remote_failure_is_retried_only_where_failures_are_free": (
        "unclassified remote failure (poll)"
    ),
    "test_replicate_aborted_prediction_ends_and_is_not_polled_forever": "aborted (poll)",
    "test_poll_fault_keeps_polling_the_same_job": "poll fault",
    "test_download_fault_fetches_again_with_the_same_handle": "download fault",
    "test_crash_then_rerun_pays_once": "crash, then a second run",
}


class Collector:
    """A pytest plugin keeping each case's outcome and accepted count."""

    def __init__(self) -> None:
        self.cells: dict[str, dict[str, str]] = defaultdict(dict)
        self._failed: set[str] = set()

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self._failed.add(report.nodeid)
        if report.when != "teardown":
            return
        row, adapter = split(report.nodeid)
        accepted = dict(report.user_properties).get("accepted", "?")
        verdict = "FAIL" if report.nodeid in self._failed else "pass"
        if report.skipped:
            verdict = "skip"
        self.cells[row][adapter] = f"{verdict} ({accepted})"


def split(nodeid: str) -> tuple[str, str]:
    """(row label, adapter) of a test id like ``...::test_x[dropped-sora]``."""
    m = re.match(r".*::(\w+)(?:\[(.*)\])?$", nodeid)
    name, params = (m[1], m[2] or "") if m else (nodeid, "")
    parts = params.split("-") if params else []
    adapter = next((p for p in parts if p in ADAPTERS), "replicate" if "replicate" in name else "")
    rest = [p for p in parts if p != adapter]
    label = ROWS.get(name, name)
    return (f"{label}: {' '.join(rest)}" if rest else label), adapter


def table(cells: dict[str, dict[str, str]]) -> str:
    """The Markdown table."""
    lines = [
        "| fault | " + " | ".join(ADAPTERS) + " |",
        "|---|" + "---|" * len(ADAPTERS),
    ]
    for row, by_adapter in cells.items():
        lines.append(f"| {row} | " + " | ".join(by_adapter.get(a, "n/a") for a in ADAPTERS) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    collector = Collector()
    args = [str(HERE / f) for f in FILES] + ["-q", "-p", "no:cacheprovider", "--tb=no", *argv]
    code = pytest.main(args, plugins=[collector])
    print()
    print("Cell: pass/FAIL and (jobs the provider server accepted, i.e. billed).")
    print()
    print(table(collector.cells))
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
