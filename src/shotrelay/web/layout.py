"""The page shell and small HTML pieces every page uses (escaped text, money, badges)."""

from __future__ import annotations

from datetime import datetime
from html import escape

__all__ = ["Nav", "badge", "e", "media_url", "money", "page", "when"]


def e(value: object) -> str:
    """Text made safe for HTML content and attributes."""
    return escape(str(value), quote=True)


def money(usd: float | None) -> str:
    """``$1.25``; an em dash when unknown."""
    return "—" if usd is None else f"${usd:,.2f}"


def when(at: float | datetime | None) -> str:
    """A local date and time people read (no seconds, no epoch numbers)."""
    if at is None:
        return "—"
    moment = at if isinstance(at, datetime) else datetime.fromtimestamp(at)
    return moment.strftime("%d %b %H:%M")


def badge(text: str, kind: str = "") -> str:
    """A small pill; ``kind`` picks its colour (a state name or role)."""
    cls = kind.replace(" ", "-")
    return f'<span class="pill {e(cls)}">{e(text)}</span>'


def media_url(slug: str, artifact: str) -> str:
    """The address of a stored artifact of a project: by content id only."""
    return f"/p/{e(slug)}/media/{e(artifact)}"


class Nav:
    """Where a page sits: the served projects, the current one and its tab."""

    def __init__(self, projects: list[str], slug: str = "", tab: str = "") -> None:
        self.projects = projects
        self.slug = slug
        self.tab = tab

    def render(self) -> str:
        """The top bar: the studio, its projects, the current project's tabs."""
        many = len(self.projects) > 1
        items = "".join(
            f'<a href="/p/{e(p)}" class="{"on" if p == self.slug else ""}">{e(p)}</a>'
            for p in self.projects
        )
        projects = f'<nav class="projects">{items}</nav>' if many or not self.slug else ""
        tabs = ""
        if self.slug:
            links = [("board", "Board", ""), ("gate", "Gate", "/gate"), ("cut", "Cut", "/cut")]
            tabs = (
                '<nav class="tabs">'
                + "".join(
                    f'<a href="/p/{e(self.slug)}{path}" class="{"on" if key == self.tab else ""}">'
                    f"{label}</a>"
                    for key, label, path in links
                )
                + "</nav>"
            )
        studio = (
            '<button class="ghost" data-action="/studio/run" data-confirm="Run every served '
            'project on one queue?">Run all on one queue</button>'
            if many
            else ""
        )
        return (
            '<header class="top"><a class="brand" href="/">shotrelay <b>studio</b></a>'
            f"{projects}{studio}</header>{tabs}"
        )


def page(title: str, body: str, *, nav: Nav, token: str, stream: str = "") -> str:
    """A whole page: head, the bar, the body; ``stream`` is the SSE address for live parts."""
    live = f' data-stream="{e(stream)}"' if stream else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="shotrelay-token" content="{e(token)}">
<title>{e(title)} · shotrelay studio</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/studio.css">
<script src="/static/studio.js" defer></script>
</head><body{live}>
{nav.render()}
<main>{body}</main>
<div id="toast" role="status" aria-live="polite"></div>
</body></html>"""
