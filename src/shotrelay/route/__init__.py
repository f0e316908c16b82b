"""Routing: which model serves each shot's stage, with fallbacks, reasons, cost and time."""

from shotrelay.route.budget import Group, Option, minimum_cost, optimise
from shotrelay.route.plan import Candidate, Exclusion, RoutePlan, ShotRoute, StageRoute
from shotrelay.route.policy import Preset, RouterSettings, load_settings
from shotrelay.route.router import MAX_FALLBACKS, route_project
from shotrelay.route.stages import base_stages, finishing_stages

__all__ = [
    "MAX_FALLBACKS",
    "Candidate",
    "Exclusion",
    "Group",
    "Option",
    "Preset",
    "RoutePlan",
    "RouterSettings",
    "ShotRoute",
    "StageRoute",
    "base_stages",
    "finishing_stages",
    "load_settings",
    "minimum_cost",
    "optimise",
    "route_project",
]
