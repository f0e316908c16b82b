"""The Catalog: the models shotrelay can route to, looked up by id, task, provider or stage."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import CatalogError
from shotrelay.spec.vocabulary import Stage, Task

__all__ = ["Catalog", "did_you_mean"]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A ' did you mean ...?' hint for a mistyped name, or '' when nothing is close."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        return ""
    return " did you mean " + " or ".join(repr(c) for c in close) + "?"


class Catalog:
    """An ordered, id-unique set of ModelProfiles (the built-in rows plus the user's files)."""

    def __init__(self, models: Iterable[ModelProfile] = (), *, sources: Iterable[str] = ()):
        self._by_id: dict[str, ModelProfile] = {}
        for model in models:
            if model.id in self._by_id:
                raise CatalogError(f"duplicate model id {model.id!r} in the catalog")
            self._by_id[model.id] = model
        #: Where the rows came from, in load order ("builtin", then user files).
        self.sources: list[str] = list(sources)

    @property
    def models(self) -> list[ModelProfile]:
        """Every model, in catalog order (a new list; the catalog itself does not change)."""
        return list(self._by_id.values())

    def ids(self) -> list[str]:
        """Every model id, in catalog order."""
        return list(self._by_id)

    def get(self, model_id: str) -> ModelProfile:
        """The model with this id; CatalogError with a suggestion when there is none."""
        try:
            return self._by_id[model_id]
        except KeyError:
            hint = did_you_mean(model_id, self._by_id)
            raise CatalogError(
                f"unknown model {model_id!r};{hint or ' no close match.'}"
                " `shotrelay models` lists the catalog"
            ) from None

    def filter(
        self,
        task: Task | str | None = None,
        provider: str | None = None,
        local: bool | None = None,
        *,
        stage: Stage | str | None = None,
    ) -> list[ModelProfile]:
        """Models matching every given criterion, in catalog order.

        ``stage`` keeps the models that perform any task the stage needs (generate takes both
        image_to_video and text_to_video models).
        """
        wanted: set[Task] | None = None
        if task is not None:
            wanted = {_task(task)}
        if stage is not None:
            stage_tasks = set(_stage(stage).tasks)
            wanted = stage_tasks if wanted is None else wanted & stage_tasks
        return [
            m
            for m in self._by_id.values()
            if (wanted is None or wanted.intersection(m.tasks))
            and (provider is None or m.provider == provider)
            and (local is None or m.local == local)
        ]

    def providers(self) -> list[str]:
        """Provider names used by the catalog, sorted."""
        return sorted({m.provider for m in self._by_id.values()})

    def __iter__(self) -> Iterator[ModelProfile]:
        return iter(list(self._by_id.values()))

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, ModelProfile):
            return self._by_id.get(item.id) == item
        return isinstance(item, str) and item in self._by_id

    def __repr__(self) -> str:
        return f"Catalog({len(self)} models from {', '.join(self.sources) or 'code'})"


def _task(value: Task | str) -> Task:
    try:
        return Task(value)
    except ValueError:
        hint = did_you_mean(str(value), [t.value for t in Task])
        raise CatalogError(
            f"unknown task {value!r};{hint or ''} tasks are {', '.join(t.value for t in Task)}"
        ) from None


def _stage(value: Stage | str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        hint = did_you_mean(str(value), [s.value for s in Stage])
        raise CatalogError(
            f"unknown stage {value!r};{hint or ''} stages are {', '.join(s.value for s in Stage)}"
        ) from None
