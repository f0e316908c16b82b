"""``shotrelay doctor``: which providers are usable and why not, and which local engines exist.

Only names are reported (environment variables, packages, programs), never a key's value.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from shotrelay.catalog.profile import ModelProfile
from shotrelay.errors import ShotrelayError
from shotrelay.providers.base import Provider, account_limit
from shotrelay.providers.credentials import Credentials

__all__ = ["Diagnosis", "EngineCheck", "ProviderCheck", "check_engines", "diagnose"]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProviderCheck(_Row):
    """One provider: usable or not, why, and what to set or install."""

    name: str
    usable: bool
    reason: str
    missing_env: list[str] = Field(default_factory=list, description="Names only, never values.")
    models: list[str] = Field(default_factory=list, description="Catalog ids it would serve.")


class EngineCheck(_Row):
    """A local engine or optional package: present or not, and how to get it."""

    name: str
    present: bool
    detail: str


class Diagnosis(_Row):
    """What ``doctor`` found."""

    providers: list[ProviderCheck]
    planners: list[ProviderCheck] = Field(default_factory=list)
    engines: list[EngineCheck]

    @property
    def usable(self) -> list[str]:
        """Names of the usable providers."""
        return [p.name for p in self.providers if p.usable]


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _piper() -> EngineCheck:
    from shotrelay.providers.local.tts import find_piper_voice

    if not _has_module("piper"):
        return EngineCheck(name="piper", present=False, detail="pip install 'shotrelay[tts]'")
    if find_piper_voice() is None:
        return EngineCheck(
            name="piper", present=False, detail="voice missing: pip install 'shotrelay[tts]'"
        )
    return EngineCheck(name="piper", present=True, detail="piper-tts with the joe en_US voice")


def _program(name: str, install: str) -> EngineCheck:
    path = shutil.which(name)
    if path is None:
        return EngineCheck(name=name, present=False, detail=f"not on PATH ({install})")
    return EngineCheck(name=name, present=True, detail=path)


def _ffmpeg() -> EngineCheck:
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        return EngineCheck(name="ffmpeg", present=False, detail=f"{type(exc).__name__}: {exc}")
    return EngineCheck(name="ffmpeg", present=True, detail=exe)


def _package(name: str, module: str, extra: str) -> EngineCheck:
    if _has_module(module):
        return EngineCheck(name=name, present=True, detail=f"{module} importable")
    return EngineCheck(name=name, present=False, detail=f"pip install 'shotrelay[{extra}]'")


def _comfyui() -> list[EngineCheck]:
    """The ComfyUI server of ``SHOTRELAY_COMFYUI_URL``, its GPUs, and which workflows it runs
    (nothing when unset: the providers table says what to set)."""
    from shotrelay.providers.comfyui import URL_ENV, inspect_server

    url = Credentials().setting(URL_ENV)
    if not url:
        return []
    report = inspect_server(url.strip().rstrip("/"))
    checks = [EngineCheck(name="comfyui", present=report.ok, detail=report.summary())]
    for fit in report.workflows:
        why = fit.error or ("missing nodes: " + ", ".join(fit.missing) if fit.missing else "")
        checks.append(
            EngineCheck(name=f"comfyui: {fit.name}", present=fit.runs, detail=why or "can run")
        )
    return checks


def check_engines() -> list[EngineCheck]:
    """Local engines (TTS, ffmpeg), optional packages, and a configured ComfyUI server."""
    return [
        _piper(),
        _program("espeak-ng", "apt-get install espeak-ng; the TTS fallback after piper"),
        _ffmpeg(),
        _package("opentimelineio", "opentimelineio", "edit"),
        *_comfyui(),
    ]


def _missing_env(
    provider: Provider, models: list[ModelProfile], credentials: Credentials
) -> list[str]:
    names: list[str] = []
    key_env = getattr(provider, "key_env", None)
    if isinstance(key_env, str):
        names.append(key_env)
    for model in models:
        names.extend(n for n in model.env if n not in names)
    return [n for n in names if credentials.get(n) is None]


def check_planners(credentials: Credentials | None = None) -> list[ProviderCheck]:
    """The planners of ``shotrelay plan --planner``: usable or not, and the key they need."""
    from shotrelay.plan.registry import get_planner, planner_names

    credentials = credentials or Credentials()
    checks: list[ProviderCheck] = []
    for name in planner_names():
        planner: object = None
        try:
            planner = get_planner(name)
            check = getattr(planner, "available", None)
            usable, reason = check() if callable(check) else (True, "built in")
            probe = getattr(planner, "probe", None)
            if usable and callable(probe):  # a keyless server must answer to count
                usable, reason = probe()
        except Exception as exc:  # a broken planner is reported, not fatal
            usable, reason = False, f"cannot load: {type(exc).__name__}"
        key_env = getattr(planner, "key_env", None) if usable is False else None
        missing = [key_env] if isinstance(key_env, str) and not credentials.get(key_env) else []
        checks.append(ProviderCheck(name=name, usable=usable, reason=reason, missing_env=missing))
    return checks


def diagnose(
    providers: Mapping[str, Provider] | None = None,
    *,
    catalog: Iterable[ModelProfile] | None = None,
    credentials: Credentials | None = None,
    load_errors: Mapping[str, str] | None = None,
    engines: list[EngineCheck] | None = None,
    planners: list[ProviderCheck] | None = None,
) -> Diagnosis:
    """Check every installed provider (and every plug-in that failed to load).

    Defaults: the entry-point providers, the built-in catalog, keys from the environment
    and ``.env``, and the local engines found on this machine.
    """
    from shotrelay.providers import registry

    if providers is None:
        providers = registry.load_providers()
        load_errors = registry.load_errors() if load_errors is None else load_errors
    if catalog is None:
        from shotrelay.catalog.loader import load_catalog

        catalog = load_catalog().models
    credentials = credentials or Credentials()
    by_provider: dict[str, list[ModelProfile]] = {}
    for model in catalog:
        by_provider.setdefault(model.provider, []).append(model)
    checks: list[ProviderCheck] = []
    for name in sorted(providers):
        provider = providers[name]
        models = by_provider.get(name, [])
        try:
            usable, reason = provider.available()
        except Exception as exc:  # a broken adapter is reported, not fatal
            usable, reason = False, f"available() failed: {type(exc).__name__}"
        try:
            limit = account_limit(provider)
            if limit is not None and usable:
                reason = f"{reason}; {limit} jobs in flight at once".lstrip("; ")
        except ShotrelayError as exc:  # a bad SHOTRELAY_<NAME>_CONCURRENCY
            usable, reason = False, str(exc)
        checks.append(
            ProviderCheck(
                name=name,
                usable=usable,
                reason=reason or ("ready" if usable else "unavailable"),
                missing_env=[] if usable else _missing_env(provider, models, credentials),
                models=sorted(m.id for m in models),
            )
        )
    for name, error in sorted((load_errors or {}).items()):
        if name not in providers:
            reason = f"plug-in failed to load: {error}"
            if "No module named" in error:
                reason += " (install the package it needs)"
            checks.append(ProviderCheck(name=name, usable=False, reason=reason))
    return Diagnosis(
        providers=checks,
        planners=check_planners(credentials) if planners is None else list(planners),
        engines=check_engines() if engines is None else list(engines),
    )
