"""The model catalog: built-in rows as data, user overrides, lookups and table rows."""

from shotrelay.catalog.catalog import Catalog, did_you_mean
from shotrelay.catalog.listing import ModelRow, model_rows
from shotrelay.catalog.loader import (
    ENV_VAR,
    CatalogFileError,
    builtin_models,
    env_files,
    load_catalog,
    merge_row,
)
from shotrelay.catalog.profile import (
    CostEstimate,
    Inputs,
    Latency,
    ModelProfile,
    ModelStatus,
    Pricing,
    PricingRule,
    Score,
)

__all__ = [
    "ENV_VAR",
    "Catalog",
    "CatalogFileError",
    "CostEstimate",
    "Inputs",
    "Latency",
    "ModelProfile",
    "ModelRow",
    "ModelStatus",
    "Pricing",
    "PricingRule",
    "Score",
    "builtin_models",
    "did_you_mean",
    "env_files",
    "load_catalog",
    "merge_row",
    "model_rows",
]
