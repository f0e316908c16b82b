"""The embedded default: local renderers behind one Provider (no network, no keys, no GPU)."""

from shotrelay.providers.local.provider import LocalProvider

__all__ = ["LocalProvider"]
