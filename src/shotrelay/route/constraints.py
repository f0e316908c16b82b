"""Hard constraints: which models can serve a shot's stage at all, and why the others cannot.

Each constraint is a boolean mask over the catalog plus a function that explains, for one
model, why it fails. Masks are cheap; explanations are only built for `explain` and errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from shotrelay.errors import RoutingError
from shotrelay.route.plan import Exclusion
from shotrelay.route.table import ModelTable
from shotrelay.spec.models import RESOLUTIONS, Policy, PolicyRule, Shot
from shotrelay.spec.vocabulary import Stage, Voice

__all__ = ["Check", "Constraints", "ShotNeeds", "exclusions", "feasible", "no_model_error"]

_VIDEO_STAGES = {Stage.GENERATE, Stage.EDIT, Stage.LIPSYNC, Stage.UPSCALE, Stage.INTERPOLATE}
_FRAMED_STAGES = {Stage.KEYFRAME, Stage.GENERATE, Stage.EDIT}


@dataclass(frozen=True)
class Check:
    """One hard constraint over every model: ``ok`` mask and ``why(i)`` for a failing model."""

    name: str
    ok: np.ndarray
    why: Callable[[int], str]


@dataclass(frozen=True)
class ShotNeeds:
    """What a shot asks of a stage's models, beyond the stage's task."""

    shot: Shot
    handoff: bool
    clips: np.ndarray
    has_upscaler: bool = True
    has_interpolator: bool = True


def feasible(checks: Sequence[Check]) -> np.ndarray:
    """Models that pass every check."""
    mask = checks[0].ok.copy()
    for c in checks[1:]:
        mask &= c.ok
    return mask


def exclusions(checks: Sequence[Check], table: ModelTable) -> list[Exclusion]:
    """One Exclusion per failing model, under the first constraint it fails."""
    out: list[Exclusion] = []
    failed = ~feasible(checks)
    for i in np.flatnonzero(failed):
        row = int(i)
        check = next(c for c in checks if not c.ok[row])
        out.append(
            Exclusion(model=table.models[row].id, constraint=check.name, reason=check.why(row))
        )
    return out


def no_model_error(shot: Shot, stage: Stage, found: list[Exclusion]) -> RoutingError:
    """A readable error: for each constraint, the models it excluded and why."""
    lines = [f"shot {shot.id}, stage {stage.value}: no model can do it."]
    groups: dict[str, list[Exclusion]] = {}
    for e in found:
        groups.setdefault(e.constraint, []).append(e)
    for name, items in groups.items():
        if name == "task":
            tasks = " or ".join(t.value for t in stage.tasks)
            lines.append(f"  task: {len(items)} model(s) do not do {tasks}")
            continue
        shown = "; ".join(f"{e.model} ({e.reason})" for e in items[:6])
        more = f"; and {len(items) - 6} more" if len(items) > 6 else ""
        lines.append(f"  {name}: {shown}{more}")
    if not found:
        lines.append("  the catalog is empty")
    lines.append("  fix: relax the shot (duration, references), the policy, or add a model")
    return RoutingError("\n".join(lines))


class Constraints:
    """Builds the checks of any shot's stage; shot-independent masks are computed once."""

    def __init__(
        self,
        table: ModelTable,
        policy: Policy,
        available: Callable[[str], bool] | None = None,
    ) -> None:
        self.table = table
        self.policy = policy
        providers = sorted(set(table.provider.tolist()))
        up = {p: (available(p) if available is not None else True) for p in providers}
        self._available = np.array([up[p] for p in table.provider.tolist()], dtype=bool)
        allow, deny = set(policy.allow_providers), set(policy.deny_providers)
        prov = table.provider.tolist()
        self._allowed = np.array(
            [(not allow or p in allow) and p not in deny for p in prov], dtype=bool
        )
        self._static: dict[Stage, list[Check]] = {s: self._static_checks(s) for s in Stage}

    def _static_checks(self, stage: Stage) -> list[Check]:
        t, allow, deny = self.table, self.policy.allow_providers, self.policy.deny_providers
        tasks = " or ".join(x.value for x in stage.tasks)

        def provider_why(i: int) -> str:
            p = t.provider[i]
            if p in deny:
                return f"provider {p} is in policy.deny_providers"
            return f"provider {p} is not in policy.allow_providers ({', '.join(allow)})"

        checks = [
            Check("task", t.does(stage), lambda i: f"does not do {tasks}"),
            Check("status", ~t.retired, lambda i: "retired at its provider"),
            Check("provider", self._allowed, provider_why),
            Check(
                "available",
                self._available,
                lambda i: f"provider {t.provider[i]} is not available (no key or unreachable)",
            ),
        ]
        if stage in _FRAMED_STAGES:
            want = t.fmt.aspect
            checks.append(
                Check(
                    "aspect",
                    t.aspect_ok,
                    lambda i: f"offers {', '.join(t.models[i].aspect_ratios)}, not {want}",
                )
            )
        if stage == Stage.LIPSYNC:
            checks.append(
                Check("inputs", t.lipsync_inputs, lambda i: "does not take audio and video inputs")
            )
        if stage == Stage.UPSCALE:
            want_h = RESOLUTIONS[t.fmt.resolution]
            reach = (t.max_height == 0) | (t.max_height >= want_h)
            checks.append(
                Check(
                    "resolution",
                    reach,
                    lambda i: f"tops out at {t.max_height[i]}p, below {t.fmt.resolution}",
                )
            )
        return checks

    def checks(self, stage: Stage, needs: ShotNeeds, rules: Sequence[PolicyRule]) -> list[Check]:
        """Every check of one shot's stage, static ones first."""
        t, shot = self.table, needs.shot
        out = list(self._static[stage])
        if rules:
            out.append(self._rule_check(stage, rules))
        pin = shot.models.get(stage)
        if pin is not None:
            out.append(self._pin_check(stage, shot, pin))
        if stage in _VIDEO_STAGES:
            d = shot.duration
            out.append(
                Check(
                    "duration",
                    ~np.isnan(needs.clips),
                    lambda i: f"longest clip {_longest(t, i)}, shot is {d:g} s",
                )
            )
        if stage == Stage.GENERATE:
            out += self._generate_checks(needs)
        return out

    def _generate_checks(self, needs: ShotNeeds) -> list[Check]:
        t, shot = self.table, needs.shot
        out: list[Check] = []
        if not needs.has_upscaler:
            out.append(
                Check(
                    "resolution",
                    ~t.low_res,
                    lambda i: (
                        f"tops out at {t.max_height[i]}p below {t.fmt.resolution} "
                        "and no upscaler is usable for this shot"
                    ),
                )
            )
        if not needs.has_interpolator:
            out.append(
                Check(
                    "fps",
                    ~t.low_fps,
                    lambda i: (
                        f"renders {t.models[i].fps} fps below {t.fmt.fps} "
                        "and no interpolator is usable for this shot"
                    ),
                )
            )
        if needs.handoff:
            out.append(
                Check(
                    "first_frame",
                    t.first_frame,
                    lambda i: "cannot start from the previous shot's last frame",
                )
            )
        if shot.has_dialogue and shot.voice is Voice.NATIVE:
            out.append(
                Check(
                    "native_audio",
                    t.native_audio,
                    lambda i: "does not speak lines itself (the shot's voice is native)",
                )
            )
        n = len(shot.references)
        if n:
            out.append(
                Check(
                    "references",
                    t.references >= n,
                    lambda i: f"takes {t.references[i]} reference image(s), the shot has {n}",
                )
            )
        return out

    def _rule_check(self, stage: Stage, rules: Sequence[PolicyRule]) -> Check:
        t = self.table
        ids = [m.id for m in t.models]
        providers = {p for r in rules for p in r.avoid_providers}
        avoid = {m for r in rules for m in r.avoid_models}
        required = {m for r in rules for m in r.require_models}
        ok = np.array(
            [p not in providers and i not in avoid for p, i in zip(t.provider, ids, strict=True)],
            dtype=bool,
        )
        # A requirement binds only the stages some required model can serve.
        req = np.array([i in required for i in ids], dtype=bool)
        if (req & t.does(stage)).any():
            ok &= req

        def why(i: int) -> str:
            if t.provider[i] in providers:
                return f"a policy rule avoids provider {t.provider[i]}"
            if ids[i] in avoid:
                return "a policy rule avoids this model"
            return f"a policy rule requires {', '.join(sorted(required))}"

        return Check("rule", ok, why)

    def _pin_check(self, stage: Stage, shot: Shot, pin: str) -> Check:
        t = self.table
        if pin not in t.index:
            close = difflib.get_close_matches(pin, list(t.index), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise RoutingError(
                f"shot {shot.id}, stage {stage.value}: pinned model {pin!r} is not in the "
                f"catalog{hint}\n  fix: correct shots[{shot.id}].models.{stage.value}"
            )
        ok = np.zeros(len(t), dtype=bool)
        ok[t.index[pin]] = True
        return Check("pin", ok, lambda i: f"the shot pins {pin} for {stage.value}")


def _longest(t: ModelTable, i: int) -> str:
    m = t.models[i]
    if m.durations:
        return f"{max(m.durations):g} s"
    return f"{m.max_duration:g} s"
