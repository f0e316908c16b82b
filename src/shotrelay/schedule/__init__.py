"""Deadline- and stage-aware scheduling: priorities, the studio queue, predicted finish, trades.

See docs/scheduling.md.
"""

from shotrelay.catalog.calls import call_seconds
from shotrelay.schedule.fit import Entry, Fitted, fit, forecast
from shotrelay.schedule.predict import Forecast, capacity_bound, critical_path, list_schedule
from shotrelay.schedule.priority import ProjectTerms, edf_keys, slack_keys, tails
from shotrelay.schedule.shared_slots import POLICIES, SlotsFactory, studio_slots
from shotrelay.schedule.slots import PrioritySlots, SlotQueue
from shotrelay.schedule.tasks import Task, graph_tasks, plan_tasks
from shotrelay.schedule.trades import TRADES, add_take, draft, faster_sibling, fewer_takes

__all__ = [
    "POLICIES",
    "TRADES",
    "Entry",
    "Fitted",
    "Forecast",
    "PrioritySlots",
    "ProjectTerms",
    "SlotQueue",
    "SlotsFactory",
    "Task",
    "add_take",
    "call_seconds",
    "capacity_bound",
    "critical_path",
    "draft",
    "edf_keys",
    "faster_sibling",
    "fewer_takes",
    "fit",
    "forecast",
    "graph_tasks",
    "list_schedule",
    "plan_tasks",
    "slack_keys",
    "studio_slots",
    "tails",
]
