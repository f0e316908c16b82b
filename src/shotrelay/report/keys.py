"""What keys would buy: the plan routed on every provider, beside the plan usable now.

``route``, ``run``'s report and the HTML report show the plan that runs (the providers usable
now); this says, stage by stage, what the catalog's other providers would do instead, at what
cost, and which key (environment variable) each needs.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from shotrelay.providers.base import Provider
from shotrelay.providers.registry import usable
from shotrelay.route.plan import RoutePlan

__all__ = ["KeyOffer", "KeyedStage", "key_offer"]


class KeyedStage(BaseModel):
    """One stage that another provider would take, were its key set."""

    model_config = ConfigDict(frozen=True)

    shot_id: str
    stage: str
    now: str
    now_usd: float
    keyed: str
    keyed_provider: str
    keyed_usd: float


class KeyOffer(BaseModel):
    """The plan on every provider against the plan usable now, and the keys between them."""

    model_config = ConfigDict(frozen=True)

    now_usd: float
    keyed_usd: float | None = None
    changes: list[KeyedStage] = []
    #: provider -> the environment variable it reads ("" when it needs a plug-in installed)
    keys: dict[str, str] = {}
    #: why the plan on every provider could not be made (e.g. over budget); empty when it was
    error: str = ""

    def sentence(self) -> str:
        """One line: what the keys would change, or that nothing would."""
        if self.error:
            return f"with every provider: no plan ({self.error})"
        if not self.changes:
            return "every provider is usable now, or none would change the plan"
        keys = ", ".join(
            f"{provider} ({env})" if env else f"{provider} (install its plug-in)"
            for provider, env in sorted(self.keys.items())
        )
        stages = len(self.changes)
        return (
            f"with keys for {keys}: {stages} stage{'' if stages == 1 else 's'} would move to "
            f"cloud models, ${self.keyed_usd or 0:.2f} estimated instead of ${self.now_usd:.2f}"
        )


def key_offer(
    now: RoutePlan, everywhere: RoutePlan | str, providers: Mapping[str, Provider]
) -> KeyOffer:
    """Compare the plan usable ``now`` with the plan on ``everywhere`` (every provider of the
    catalog), or with the reason that plan could not be made."""
    if isinstance(everywhere, str):
        return KeyOffer(now_usd=now.total_cost_usd, error=everywhere)
    ready = usable(providers)
    changes: list[KeyedStage] = []
    for shot in everywhere.shots:
        current = next((s for s in now.shots if s.id == shot.id), None)
        for st in shot.stages:
            was = current.stage(st.stage) if current else None
            if was is not None and was.model == st.model:
                continue
            changes.append(
                KeyedStage(
                    shot_id=shot.id,
                    stage=st.stage.value,
                    now=was.model if was else "-",
                    now_usd=was.cost.usd if was else 0.0,
                    keyed=st.model,
                    keyed_provider=st.provider,
                    keyed_usd=st.cost.usd,
                )
            )
    keys = {
        c.keyed_provider: str(getattr(providers.get(c.keyed_provider), "key_env", "") or "")
        for c in changes
        if c.keyed_provider not in ready
    }
    return KeyOffer(
        now_usd=now.total_cost_usd,
        keyed_usd=everywhere.total_cost_usd,
        changes=changes,
        keys=keys,
    )
