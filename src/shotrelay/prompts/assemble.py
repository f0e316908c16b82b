"""Parts to text: ordering, joining, and fitting a length limit without cutting words."""

from __future__ import annotations

from shotrelay.prompts.dialect import Dialect
from shotrelay.prompts.english import is_verb, join_subject_action

__all__ = ["Fitted", "cut_words", "fit", "render"]

_ENDINGS = (".", "!", "?", '."', '!"', '?"', ".)", "!)", "?)")


def _sentence(unit: str) -> str:
    unit = unit.strip()
    if unit and unit[0].islower():
        unit = unit[0].upper() + unit[1:]
    return unit if unit.endswith(_ENDINGS) else unit + "."


def render(dialect: Dialect, parts: list[tuple[str, str]], sentences: bool | None = None) -> str:
    """The parts, in the order given, as one prompt in the dialect's style."""
    units: list[str] = []
    previous: str | None = None
    parts = [(n, t.strip()) for n, t in parts if t.strip()]
    for i, (name, text) in enumerate(parts):
        following = parts[i + 1][0] if i + 1 < len(parts) else None
        if following == "action" and not _starts_with_verb(parts[i + 1][1]):
            # "The camera pushes in as <subject> <verb>" needs a verb; a phrase takes "on".
            following = None
        joiner = dialect.joiner(previous, name, following) if previous else None
        if joiner == " " and name == "action" and units:
            # "a sunlit loft, morning light spills ..." not "a sunlit loft morning light ...".
            units[-1] = join_subject_action(units[-1].rstrip(". "), text)
        elif joiner is not None and units:
            units[-1] = units[-1].rstrip(". ") + joiner + text
        else:
            units.append(text)
        previous = name
    if dialect.sentences if sentences is None else sentences:
        return " ".join(_sentence(u) for u in units)
    return ", ".join(u.strip().rstrip(".") for u in units)


def _starts_with_verb(text: str) -> bool:
    first = text.split()[0].strip(",.;:") if text.split() else ""
    return is_verb(first, plural_subject=True)


def cut_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, tidy at the end."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    space = head.rfind(" ")
    # A single word longer than the limit cannot be kept whole; cut it rather than fail.
    cut = head[:space] if space > 0 else text[:limit]
    return cut.rstrip(" ,;:-(\"'")


class Fitted:
    """The result of fitting parts to a limit."""

    def __init__(self, text: str, kept: list[str], dropped: list[str], cut: bool) -> None:
        self.text = text
        self.kept = kept
        self.dropped = dropped
        self.cut = cut

    @property
    def truncated(self) -> bool:
        """Whether anything was dropped or cut."""
        return bool(self.dropped) or self.cut


def fit(
    dialect: Dialect,
    parts: list[tuple[str, str]],
    limit: int,
    drop_order: list[str],
    sentences: bool | None = None,
) -> Fitted:
    """Render ``parts``; over ``limit``, drop parts in ``drop_order``, then cut at a word."""
    kept = [(n, t) for n, t in parts if t.strip()]
    text = render(dialect, kept, sentences)
    dropped: list[str] = []
    for name in drop_order:
        if len(text) <= limit:
            break
        if any(n == name for n, _ in kept):
            kept = [(n, t) for n, t in kept if n != name]
            dropped.append(name)
            text = render(dialect, kept, sentences)
    cut = len(text) > limit
    if cut:
        text = cut_words(text, limit)
    return Fitted(text, [n for n, _ in kept], dropped, cut)
