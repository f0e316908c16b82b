"""Load project files (YAML) into a Project, with errors that name file, line, field and fix."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from shotrelay.errors import SpecError
from shotrelay.spec.files import FileProblem, file_problems
from shotrelay.spec.models import Project

__all__ = [
    "dump_project",
    "files_error",
    "load_project",
    "load_yaml",
    "spec_error_from_validation",
]


def load_yaml(path: Path) -> Any:
    """Parse a YAML file keeping line numbers; SpecError on syntax errors or a missing file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(
            "file not found", file=str(path), fix="check the path, or run `shotrelay init`"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read file: {exc}", file=str(path)) from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise SpecError(
            f"YAML syntax error: {exc.problem}",
            file=str(path),
            line=line,
            fix="check indentation and quoting near that line",
        ) from None


def load_project(path: str | Path, *, check_files: bool = True) -> Project:
    """Read and validate a project file; relative paths in it resolve against its folder.

    Every reference must be an image and ``music`` audio, checked by content (a SpecError
    lists every bad file); ``check_files=False`` skips that for readers of past runs.
    """
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise SpecError(
            "a project file must be a YAML mapping (name:, shots:, ...)",
            file=str(path),
            fix="see examples/ for the shape, or run `shotrelay schema`",
        )
    try:
        project = Project.model_validate(_plain(data), context={"base": path.parent})
    except ValidationError as exc:
        raise spec_error_from_validation(exc, data, path, Project) from None
    if check_files:
        problems = file_problems(data, path.parent)
        if problems:
            raise files_error(problems, data, path)
    return _resolve_paths(project, path.parent)


def dump_project(project: Project) -> str:
    """The project as YAML text, defaults left out."""
    out = StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.dump(project.model_dump(mode="json", exclude_defaults=True), out)
    return out.getvalue()


def spec_error_from_validation(
    exc: ValidationError, data: Any, path: Path, model: type[BaseModel]
) -> SpecError:
    """Turn pydantic's errors into one SpecError located in the YAML source (first in full,
    up to nine more listed after it)."""
    found = exc.errors()
    errors = [_one_error(err, data, path, model) for err in found[:10]]
    return _together(errors, more=len(found) - len(errors))


def files_error(problems: Sequence[FileProblem], data: Any, path: Path) -> SpecError:
    """One SpecError for every unusable file, each located in the YAML source."""
    errors = [
        SpecError(
            p.message, file=str(path), line=_line_of(data, p.loc), field=_dotted(p.loc), fix=p.fix
        )
        for p in problems
    ]
    return _together(errors)


def _together(errors: Sequence[SpecError], *, more: int = 0) -> SpecError:
    """The first error in full, the others listed after it."""
    first = errors[0]
    return SpecError(
        first.message,
        file=first.file,
        line=first.line,
        field=first.field,
        fix=first.fix,
        also=list(errors[1:]),
        more=more,
    )


def _one_error(err: Any, data: Any, path: Path, model: type[BaseModel]) -> SpecError:
    loc: Sequence[int | str] = err["loc"]
    field = _dotted(loc)
    line = _line_of(data, loc)
    kind = err["type"]
    message = err["msg"]
    fix: str | None = None
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(name, known, n=1)
        message = f"unknown field {name!r}"
        fix = f"did you mean {close[0]!r}?" if close else f"known fields: {', '.join(known)}"
    elif kind == "missing":
        message = "required field is missing"
        fix = f"add {loc[-1]}: to this entry"
    elif kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        message = f"{err.get('input')!r} is not allowed"
        fix = f"use one of {expected}"
    elif kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        fix = f"use a value that is {message.removeprefix('Input should be ')}"
        message = f"{err.get('input')!r} is out of range"
    elif kind.endswith("_parsing") or kind.endswith("_type"):
        fix = message.replace("Input should be", "use")
        message = f"wrong type: {err.get('input')!r}"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    return SpecError(message, file=str(path), line=line, field=field or None, fix=fix)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _dotted(loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + p)
    return "".join(parts)


def _line_of(data: Any, loc: Sequence[int | str]) -> int | None:
    """1-based line of the deepest node of ``loc`` found in the round-trip YAML tree."""
    node = data
    line: int | None = getattr(getattr(data, "lc", None), "line", None)
    for key in loc:
        try:
            if isinstance(node, CommentedMap) and key in node:
                line = node.lc.key(key)[0]
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                line = node.lc.item(key)[0]
                node = node[key]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
    return None if line is None else line + 1


def _known_fields(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    current: Any = model
    for key in loc:
        if isinstance(key, int):
            continue
        fields = getattr(current, "model_fields", {})
        if key not in fields:
            return []
        current = _inner_model(fields[key].annotation)
    return sorted(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _resolve_paths(project: Project, base: Path) -> Project:
    def fix(paths: list[Path]) -> list[Path]:
        return [p if p.is_absolute() else (base / p) for p in paths]

    return project.model_copy(
        update={
            "style": project.style.model_copy(update={"references": fix(project.style.references)}),
            "characters": [
                c.model_copy(update={"references": fix(c.references)}) for c in project.characters
            ],
            "shots": [
                s.model_copy(update={"references": fix(s.references)}) for s in project.shots
            ],
            "music": fix([project.music])[0] if project.music else None,
        }
    )
