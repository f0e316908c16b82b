"""A new project file with comments: what each field is, and the optional ones to fill in."""

from __future__ import annotations

from shotrelay.spec.loader import dump_project
from shotrelay.spec.models import Project

__all__ = ["commented_project"]

#: A comment above each top-level field a new file holds.
_ABOVE = {
    "name": "The project's name: the workspace and the outputs are named after it.",
    "brief": "What the film is, in a sentence or a paragraph: `shotrelay plan` reads it.",
    "format": "Delivery format: aspect (16:9, 9:16, 1:1...), resolution (720p, 1080p, 4k), fps.",
    "target_length": "Seconds the film should last (read from the brief when it says one).",
}

_OPTIONAL = """
# Optional; uncomment and edit (`shotrelay schema` prints every field):
# budget_usd: 20            # cap on paid generation; `route` trades quality to stay under it
# takes: 1                  # takes per shot; the judge picks the best, `pick` overrides it
# deadline: 2030-01-31T18:00:00Z
# style:
#   look: clean editorial, natural skin tones
#   mood: hopeful
#   palette: ["#1b2a4a", "#f2a541"]
# characters:
#   - name: Maya
#     description: a founder in her thirties, short dark curls
# policy:
#   preset: balanced        # balanced, quality, cheap, fast or previs
#
# shots: `shotrelay plan` writes them from the brief; or write your own, e.g.
#   - id: open
#     duration: 3
#     role: establishing
#     framing: wide
#     camera: pan-right
#     subject: a bright loft at dawn
"""


def commented_project(project: Project) -> str:
    """``project`` as YAML with a comment above each field and the optional ones sketched."""
    lines = [
        "# A shotrelay project. Next: `shotrelay plan` writes the shots from the brief,",
        "# `shotrelay route` shows the plan, `shotrelay run` makes the animatic and the cut.",
    ]
    for line in dump_project(project).splitlines():
        key = line.split(":", 1)[0]
        if not line.startswith(" ") and key in _ABOVE:
            lines.append(f"# {_ABOVE[key]}")
        lines.append(line)
    return "\n".join(lines) + "\n" + _OPTIONAL
