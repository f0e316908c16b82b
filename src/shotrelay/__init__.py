"""shotrelay: route AI video production across specialised models."""

from shotrelay.errors import (
    AuthError,
    BudgetError,
    CatalogError,
    EngineError,
    IntegrityError,
    InvalidInput,
    ProviderError,
    QuotaError,
    RateLimited,
    Rejected,
    RoutingError,
    ShotrelayError,
    SpecError,
    TransientError,
)
from shotrelay.spec import Project, Shot, load_project

__version__ = "0.1.0"

__all__ = [
    "AuthError",
    "BudgetError",
    "CatalogError",
    "EngineError",
    "IntegrityError",
    "InvalidInput",
    "Project",
    "ProviderError",
    "QuotaError",
    "RateLimited",
    "Rejected",
    "RoutingError",
    "Shot",
    "ShotrelayError",
    "SpecError",
    "TransientError",
    "__version__",
    "load_project",
]
