"""Load the catalog: the built-in rows, then the user's files that add, override or remove models.

A user file is YAML with two optional keys::

    remove: [sora-2]            # drop these ids (applied first)
    models:
      - id: veo-3.1             # an existing id: change only the fields given
        concurrency: 4
      - id: my-model            # a new id: a full row
        provider: fal
        ...

Overrides merge nested mappings (``pricing``, ``scores``, ``inputs``...) and replace lists.
Every error names the file, the line, the field and the fix.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from shotrelay.catalog.catalog import Catalog, did_you_mean
from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import CatalogError, SpecError
from shotrelay.plugins import CATALOG, load_group
from shotrelay.spec.loader import load_yaml, spec_error_from_validation

__all__ = [
    "ENV_VAR",
    "CatalogFileError",
    "builtin_models",
    "env_files",
    "load_catalog",
    "merge_row",
]

#: Environment variable naming extra catalog files, separated by os.pathsep.
ENV_VAR = "SHOTRELAY_CATALOG"

_TOP_KEYS = ("models", "remove")


class CatalogFileError(CatalogError):
    """A catalog file is invalid; ``file``, ``line``, ``field`` and ``fix`` locate and mend it."""

    def __init__(
        self, message: str, *, file: str, line: int | None, field: str | None, fix: str | None
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.fix = fix
        rendered = SpecError(message, file=file, line=line, field=field, fix=fix).render()
        super().__init__(rendered)


def load_catalog(user_files: Sequence[Path | str] = (), *, use_env: bool = True) -> Catalog:
    """The built-in catalog, then the files in $SHOTRELAY_CATALOG, then ``user_files``.

    Later files win. Raises CatalogError naming file, line, field and fix.
    """
    rows: dict[str, ModelProfile] = {m.id: m for m in builtin_models()}
    files = [*(env_files() if use_env else []), *(Path(f) for f in user_files)]
    for path in files:
        _apply_file(rows, path, _read(path), builtin=False)
    return Catalog(rows.values(), sources=["builtin", *(str(f) for f in files)])


def builtin_catalog() -> str:
    """The built-in catalog's YAML text (registered in the ``shotrelay.catalog`` group)."""
    return resources.files("shotrelay.catalog").joinpath("builtin.yaml").read_text("utf-8")


@functools.cache
def builtin_models() -> tuple[ModelProfile, ...]:
    """The validated rows of every ``shotrelay.catalog`` plug-in, built-in first (parsed once
    per process); a plug-in's row of an existing id is laid over it, as a user file's is."""
    rows: dict[str, ModelProfile] = {}
    # The built-in file is tested: parse it with the fast C loader (no line numbers).
    _apply_file(rows, _BUILTIN, YAML(typ="safe").load(builtin_catalog()), builtin=True)
    loaded = load_group(CATALOG)
    for name, source in loaded.objects.items():
        if name in loaded.builtin:
            continue
        where = Path(f"<catalog plug-in {name}>")
        if not callable(source):
            raise _fail(where, None, None, "the entry point is not a function", _PLUGIN_FIX)
        _apply_file(rows, where, YAML(typ="rt").load(source()), builtin=False)
    return tuple(rows.values())


_BUILTIN = Path("shotrelay/catalog/builtin.yaml")
_PLUGIN_FIX = "point the shotrelay.catalog entry point at a function returning catalog YAML"


def env_files() -> list[Path]:
    """The catalog files named in $SHOTRELAY_CATALOG (empty entries ignored)."""
    value = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def merge_row(base: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``change`` laid over it: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in change.items():
        old = out.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            out[key] = merge_row(old, value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> Any:
    try:
        return load_yaml(path)
    except SpecError as exc:
        fix = exc.fix
        if exc.message == "file not found":
            fix = f"check the path (given to load_catalog or in ${ENV_VAR})"
        raise CatalogFileError(
            exc.message, file=exc.file or str(path), line=exc.line, field=exc.field, fix=fix
        ) from None


def _fail(
    path: Path, line: int | None, field: str | None, message: str, fix: str | None
) -> CatalogFileError:
    return CatalogFileError(message, file=str(path), line=line, field=field, fix=fix)


def _line(node: Any) -> int | None:
    line = getattr(getattr(node, "lc", None), "line", None)
    return None if line is None else int(line) + 1


def _key_line(node: Any, key: str | int) -> int | None:
    try:
        if isinstance(node, CommentedMap):
            return int(node.lc.key(key)[0]) + 1
        if isinstance(node, CommentedSeq):
            return int(node.lc.item(key)[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        pass
    return _line(node)


def _apply_file(rows: dict[str, ModelProfile], path: Path, data: Any, *, builtin: bool) -> None:
    """Apply one catalog file to ``rows`` in place."""
    if data is None:
        return
    if not isinstance(data, Mapping):
        raise _fail(
            path,
            _line(data),
            None,
            "a catalog file must be a YAML mapping",
            "start the file with `models:` (a list of rows) and/or `remove:` (a list of ids)",
        )
    for key in data:
        if key not in _TOP_KEYS:
            hint = did_you_mean(str(key), _TOP_KEYS)
            raise _fail(
                path,
                _key_line(data, key),
                str(key),
                f"unknown key {key!r}",
                (hint.strip() + " " if hint else "") + "a catalog file holds models: and remove:",
            )
    _apply_removals(rows, path, data)
    entries = data.get("models") or []
    if not isinstance(entries, list):
        raise _fail(
            path,
            _key_line(data, "models"),
            "models",
            "models must be a list of rows",
            "write each model as a `- id: ...` item under models:",
        )
    for index, entry in enumerate(entries):
        _apply_entry(rows, path, entries, index, entry, builtin=builtin)


def _apply_removals(rows: dict[str, ModelProfile], path: Path, data: Mapping[str, Any]) -> None:
    ids = data.get("remove") or []
    if not isinstance(ids, list):
        raise _fail(
            path,
            _key_line(data, "remove"),
            "remove",
            "remove must be a list of model ids",
            "write remove: [id-one, id-two]",
        )
    for index, model_id in enumerate(ids):
        if model_id not in rows:
            hint = did_you_mean(str(model_id), rows)
            raise _fail(
                path,
                _key_line(ids, index),
                f"remove[{index}]",
                f"no model {model_id!r} to remove",
                (hint.strip() + " " if hint else "") + "`shotrelay models` lists the ids",
            )
        del rows[model_id]


def _apply_entry(
    rows: dict[str, ModelProfile],
    path: Path,
    entries: list[Any],
    index: int,
    entry: Any,
    *,
    builtin: bool,
) -> None:
    where = f"models[{index}]"
    line = _key_line(entries, index)
    if not isinstance(entry, Mapping):
        raise _fail(path, line, where, "each model must be a mapping", "start it with `- id: ...`")
    model_id = entry.get("id")
    if not isinstance(model_id, str) or not model_id:
        raise _fail(
            path,
            line,
            f"{where}.id",
            "every model needs an id (a string)",
            "add `id: <model-id>` to this entry",
        )
    if builtin and model_id in rows:
        raise _fail(path, line, f"{where}.id", f"duplicate id {model_id!r}", "rename one of them")
    plain = _plain(entry)
    existing = rows.get(model_id)
    merged = merge_row(existing.model_dump(mode="json"), plain) if existing else plain
    try:
        rows[model_id] = ModelProfile.model_validate(merged)
    except ValidationError as exc:
        spec = spec_error_from_validation(exc, entry, path, ModelProfile)
        fix = spec.fix
        if existing is None and exc.errors()[0]["type"] == "missing":
            hint = did_you_mean(model_id, rows)
            fix = (
                f"no model {model_id!r} to override;{hint} A new model needs a full row "
                "(see docs/catalog.md)"
                if hint
                else fix
            )
        field = f"{where}.{spec.field}" if spec.field else where
        raise _fail(path, spec.line or line, field, spec.message, fix) from None


def _plain(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
