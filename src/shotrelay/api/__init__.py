"""The public face: every ``shotrelay`` command as a typed Python function.

The terminal, the browser studio and the agent interface all call these; each takes the
project as a command argument would name it (a .yaml file, a folder holding project.yaml, or
a name) and returns data. docs/api.md has an example per command.
"""

from shotrelay.api._catalog import catalog_check
from shotrelay.api._deliver import contact_sheet, doctor, export, list_models, rephrase, report
from shotrelay.api._judge import visual_judge
from shotrelay.api._learn import Rating, learn_export, learn_import, learned, rate
from shotrelay.api._project import (
    PlanOutcome,
    find_project_file,
    fit_route_to_deadline,
    init_project,
    plan_file,
    route_file,
    schema,
    what_keys_would_buy,
)
from shotrelay.api._run import (
    WaitCallback,
    abandon,
    approve,
    pick,
    redo,
    run_project,
    run_studio,
    status,
)
from shotrelay.api._where import ProjectPaths, key_names, paths, redact_keys
from shotrelay.catalog.listing import ModelRow
from shotrelay.doctor import Diagnosis
from shotrelay.engine.events import EngineEvent
from shotrelay.relay import RunResult, StatusReport
from shotrelay.report.keys import KeyOffer
from shotrelay.route.plan import RoutePlan
from shotrelay.schedule.deadline import DeadlineFit, parse_deadline

__all__ = [
    "DeadlineFit",
    "Diagnosis",
    "EngineEvent",
    "KeyOffer",
    "ModelRow",
    "PlanOutcome",
    "ProjectPaths",
    "Rating",
    "RoutePlan",
    "RunResult",
    "StatusReport",
    "WaitCallback",
    "abandon",
    "approve",
    "catalog_check",
    "contact_sheet",
    "doctor",
    "export",
    "find_project_file",
    "fit_route_to_deadline",
    "init_project",
    "key_names",
    "learn_export",
    "learn_import",
    "learned",
    "list_models",
    "parse_deadline",
    "paths",
    "pick",
    "plan_file",
    "rate",
    "redact_keys",
    "redo",
    "rephrase",
    "report",
    "route_file",
    "run_project",
    "run_studio",
    "schema",
    "status",
    "visual_judge",
    "what_keys_would_buy",
]
