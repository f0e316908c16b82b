"""The report as one self-contained HTML file: inline CSS, JS, SVG and images; no fetches."""

from __future__ import annotations

import os
from pathlib import Path

from shotrelay.report.data import ReportData, gather
from shotrelay.report.sections import (
    budget_section,
    continuity_section,
    e,
    provenance_section,
    schedule_section,
    shots_section,
    storyboard_section,
)
from shotrelay.report.summary import keys_section, summary_header

__all__ = ["render_html", "write_report"]

_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0;padding:0 24px 40px;color:#1b1b1b;
background:#f7f7f4;overflow-wrap:anywhere}
header{padding:16px 0;border-bottom:3px solid #1b2a4a;margin-bottom:12px}
h1{margin:0}h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:28px}
nav a{margin-right:12px}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:4px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(300px,100%),1fr));
gap:12px}
.scroll{overflow-x:auto;max-width:100%}
dl.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(220px,100%),1fr));
gap:6px 16px;margin:8px 0 0}
.fact dt{font-size:11px;text-transform:uppercase;color:#666}.fact dd{margin:0}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px;
border:1px solid #0003;vertical-align:middle;margin:0 4px 0 8px}
.chip{white-space:nowrap}
.swatch.failed{background:#fff;border:2px solid #c00}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px}
ul.legend .swatch{margin-left:0}
.badges{margin:0 0 6px;display:flex;flex-wrap:wrap;gap:4px}
.badge{font-size:11px;padding:1px 6px;border-radius:9px;background:#e8edf5;color:#1b2a4a}
.badge.time{background:#f3ead7;color:#5a4210}.badge.transition{background:#e6f0e3;color:#24421c}
.badge.continues{background:#efe6f3;color:#4b2a5a}
@media (max-width:600px){body{padding:0 10px 24px}nav a{display:inline-block}}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px}
.card h3{margin:0 0 6px}.card small{color:#666;font-weight:normal}
.pics{display:flex;gap:6px}figure{margin:0;flex:1}
figure img{width:100%;display:block;border-radius:3px}
figure.empty div{background:#e9e9e4;color:#777;aspect-ratio:16/9;display:flex;
align-items:center;justify-content:center;font-size:12px;border-radius:3px}
figcaption{font-size:11px;color:#666}
.line{font-style:italic}
table{border-collapse:collapse;background:#fff;margin:6px 0}
td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
table.stages ul,table.prov ul{margin:0;padding-left:16px}
pre{white-space:pre-wrap;max-width:min(420px,100%);margin:4px 0}
.state.succeeded{color:#2b7a2b}.state.failed{color:#b00}
.muted{color:#777}.error{color:#b00}.verdict{font-weight:bold}
svg.gantt{background:#fff;border:1px solid #ddd;max-width:none}
svg .grid{stroke:#eee}svg .tick,svg .label{font-size:11px;fill:#333}
"""

_JS = """
(function(){
  var button = document.getElementById('toggle-details');
  var open = false;
  button.addEventListener('click', function(){
    open = !open;
    document.querySelectorAll('details').forEach(function(d){ d.open = open; });
    button.textContent = open ? 'Collapse all' : 'Expand all';
  });
  document.body.setAttribute('data-ready', String(document.querySelectorAll('.card').length));
})();
"""


def _banner(data: ReportData) -> str:
    if not data.ran:
        return (
            '<p class="banner" id="not-run">Plan only: nothing has run yet. Storyboard images, '
            "actual costs, the schedule and provenance appear after "
            f"<code>shotrelay run {e(data.workspace.project_file)}</code>.</p>"
        )
    if data.manifest is None:
        return (
            '<p class="banner" id="not-run">The animatic has run; the routed relay has not '
            "(no manifest yet): per-stage actuals appear after the structure is approved.</p>"
        )
    return ""


def render_html(data: ReportData, report: Path | None = None) -> str:
    """The whole report page for ``data`` (links to the cut relative to ``report``)."""
    p = data.project
    title = f"{p.name}: shotrelay report"
    nav = "".join(
        f'<a href="#{k}">{v}</a>'
        for k, v in (
            ("storyboard", "Storyboard"),
            ("budget", "Budget"),
            ("shots", "Routing"),
            ("keys", "With keys"),
            ("schedule", "Schedule"),
            ("continuity", "Continuity"),
            ("provenance", "Provenance"),
        )
    )
    body = "".join(
        (
            storyboard_section(data),
            budget_section(data),
            shots_section(data),
            keys_section(data.offer),
            schedule_section(data),
            continuity_section(data),
            provenance_section(data),
        )
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{e(p.name)}</h1><p>{e(p.brief)}</p>"
        f'<p class="muted">{len(p.shots)} shots, {p.length:g} s, {e(p.format.aspect)} '
        f"{e(p.format.resolution)} at {p.format.fps} fps · "
        f'<button id="toggle-details" type="button">Expand all</button></p>'
        f"{summary_header(data, report)}<nav>{nav}</nav></header>{_banner(data)}{body}"
        f"<script>{_JS}</script></body></html>\n"
    )


def write_report(
    project_path: Path | str, *, out: Path | None = None, workdir: Path | str | None = None
) -> Path:
    """Write the report (default: the workspace's out/report.html); returns its path."""
    data = gather(project_path, workdir=workdir)
    path = out or data.workspace.out / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_html(data, path), encoding="utf-8")
    os.replace(tmp, path)
    return path
