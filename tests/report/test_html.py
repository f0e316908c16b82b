"""The HTML report: renders in headless Chromium, self-contained, escaped, plan-only."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from headless import console_lines, need_chromium, render
from PIL import Image
from report_tiny import SHOT_IDS
from typer.testing import CliRunner

from shotrelay.cli import app
from shotrelay.engine.workspace import workspace_for
from shotrelay.report.html import write_report


@pytest.fixture(scope="module")
def report(ran_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(ran_project, out=tmp_path_factory.mktemp("report") / "report.html")


def test_report_renders_in_chromium_with_every_shot_and_no_console_errors(
    report: Path, tmp_path: Path
) -> None:
    need_chromium()
    page = render(report, tmp_path, width=1200, height=1500)
    assert page.console == []
    with Image.open(page.screenshot) as img:
        assert img.size == (1200, 1500)
        pixels = np.asarray(img.convert("L"), dtype=np.float64)
    assert pixels.std() > 10, "the screenshot is blank"
    for shot_id in SHOT_IDS:
        assert f'id="shot-{shot_id}"' in page.dom
        assert f'id="route-{shot_id}"' in page.dom
    # The inline script ran to its end and counted the storyboard cards.
    assert 'data-ready="3"' in page.dom
    # The shot description holding <script> is text in the DOM, not an element.
    assert page.dom.count("<script>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.dom


def test_console_check_catches_a_page_error(tmp_path: Path) -> None:
    need_chromium()
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>missingFunction();</script></body></html>")
    page = render(bad, tmp_path, width=200, height=200)
    assert any("missingFunction" in line for line in page.console)
    assert console_lines('[1:2:INFO:CONSOLE:1] "x"') == ['[1:2:INFO:CONSOLE:1] "x"']


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "@import" not in html and "url(" not in html
    images = re.findall(r'<img src="([^"]+)"', html)
    # Keyframe and chosen take of every shot, inlined.
    assert len(images) == 2 * len(SHOT_IDS)
    assert all(src.startswith("data:image/jpeg;base64,") for src in images)


def test_script_in_a_shot_description_is_shown_not_run(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "a loft &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert html.count("<script>") == 1  # the report's own script only


def test_report_shows_routing_schedule_packets_and_provenance(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert 'id="not-run"' not in html
    for model in ("local-previs", "local-camera", "local-tts", "local-dub"):
        assert model in html
    assert "the only model that passes every constraint" in html  # a routing reason
    assert html.count("<rect") >= 8  # a Gantt bar per job
    assert 'id="packet-pitch"' in html and "a founder" in html
    assert "final cut" in html
    # Provenance: every artifact of the journal with its producing job.
    assert html.count('<tr><td><code title="') >= 10


def test_plan_only_report_says_nothing_has_run(fresh_project: Path) -> None:
    path = write_report(fresh_project)
    html = path.read_text(encoding="utf-8")
    ws = workspace_for(fresh_project)
    assert path == ws.out / "report.html"
    assert 'id="not-run"' in html and "nothing has run yet" in html
    assert all(f'id="shot-{s}"' in html for s in SHOT_IDS)
    assert "not made yet" in html and "not run yet" in html
    assert not ws.journal.exists()


def test_no_api_key_reaches_the_report(
    fresh_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-test-SECRET-0123456789"
    # With keys set, the plan routes to cloud models: the report names them, never the key.
    for name in ("FAL_KEY", "OPENAI_API_KEY", "LUMAAI_API_KEY", "ELEVENLABS_API_KEY"):
        monkeypatch.setenv(name, secret)
    html = write_report(fresh_project).read_text(encoding="utf-8")
    assert secret not in html
    assert "fal" in html


def test_report_command_writes_to_out(fresh_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(fresh_project), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "tiny" in out.read_text(encoding="utf-8")
    missing = CliRunner().invoke(app, ["report", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "nope.yaml" in missing.output


def test_budget_and_deadline_are_weighed_against_the_plan(fresh_project: Path) -> None:
    text = fresh_project.read_text(encoding="utf-8")
    fresh_project.write_text(
        text.replace("brief:", "budget_usd: 5\ndeadline: 2000-01-01T00:00:00Z\nbrief:"),
        encoding="utf-8",
    )
    html = write_report(fresh_project).read_text(encoding="utf-8")
    assert "<th>Budget cap</th><td>$5.00</td>" in html
    assert "within budget ($5.00 left)" in html  # the local plan is free
    assert "projected finish" in html and ": late" in html
    fresh_project.write_text(text.replace("brief:", "deadline: 2999-01-01T00:00:00Z\nbrief:"))
    html = write_report(fresh_project).read_text(encoding="utf-8")
    assert ": on time" in html and "no budget set" in html


def test_a_journal_without_manifest_says_the_relay_has_not_run(
    ran_project: Path, tmp_path: Path
) -> None:
    copy = tmp_path / ran_project.name
    shutil.copy(ran_project, copy)
    shutil.copytree(workspace_for(ran_project).root, workspace_for(copy).root)
    workspace_for(copy).manifest.unlink()
    html = write_report(copy).read_text(encoding="utf-8")
    assert "the routed relay has not" in html
    # The journal still gives the storyboard its images, and provenance its rows.
    assert html.count('<img src="data:image/jpeg') == 2 * len(SHOT_IDS)


_MEASURE = (
    "<script>document.body.setAttribute('data-overflow', String("
    "document.documentElement.scrollWidth - window.innerWidth));</script></body>"
)


@pytest.mark.parametrize("width", [390, 1400])
def test_the_page_has_no_horizontal_scroll_at_phone_and_desktop_width(
    report: Path, tmp_path: Path, width: int
) -> None:
    need_chromium()
    page = tmp_path / "measured.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", _MEASURE))
    shown = render(page, tmp_path, width=width, height=1600)
    assert shown.console == []
    assert 'data-overflow="0"' in shown.dom, re.findall(r'data-overflow="[^"]*"', shown.dom)
    with Image.open(shown.screenshot) as img:  # kept in the test's tmp_path to look at
        assert img.size == (width, 1600)


def test_summary_header_badges_palette_and_gantt_legend(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    summary = html[html.index('id="summary"') : html.index("</dl>")]
    for fact in ("Status", "Cost", "Models", "Last run", "Cut"):
        assert f"<dt>{fact}</dt>" in summary
    assert "done" in summary and 'id="cut-link"' in summary and "final.mp4" in summary
    assert html.count('class="badge model"') == len(SHOT_IDS)
    assert html.count('class="badge time"') == len(SHOT_IDS)
    assert "00:00.00 to " in html
    assert 'id="gantt-legend"' in html and "failed (red outline)" in html


def test_plan_only_report_labels_keyframes_and_never_prints_none(fresh_project: Path) -> None:
    html = write_report(fresh_project).read_text(encoding="utf-8")
    assert ">None<" not in html and "None" not in re.sub(r"<[^>]+>", " ", html)
    continued = html.count("first frame (previous shot&#x27;s last)")
    assert continued == sum(
        1 for line in fresh_project.read_text().splitlines() if "continues_previous: true" in line
    )
    assert "keyframe: not made yet" in html
    assert "plan only: nothing has run" in html and 'id="keys"' in html


def test_palette_swatches_show_the_style_colours(fresh_project: Path) -> None:
    text = fresh_project.read_text().replace(
        "characters:", 'style: {palette: ["#1b2a4a", "#f2a541"]}\ncharacters:', 1
    )
    fresh_project.write_text(text)
    html = write_report(fresh_project).read_text(encoding="utf-8")
    summary = html[html.index('id="summary"') : html.index("</dl>")]
    assert "<dt>Palette</dt>" in summary
    assert 'style="background:#1b2a4a"' in summary and 'style="background:#f2a541"' in summary
