"""Project and shot models, YAML loading and the JSON Schema."""

from shotrelay.spec.loader import load_project
from shotrelay.spec.models import (
    Character,
    DialogueLine,
    Format,
    Policy,
    PolicyRule,
    Project,
    Shot,
    StyleBible,
    Weights,
)
from shotrelay.spec.roles import ROLE_WEIGHTS, effective_weights
from shotrelay.spec.vocabulary import (
    AXES,
    CameraMove,
    Framing,
    Lens,
    Role,
    Stage,
    Task,
    Transition,
    Voice,
)

__all__ = [
    "AXES",
    "ROLE_WEIGHTS",
    "CameraMove",
    "Character",
    "DialogueLine",
    "Format",
    "Framing",
    "Lens",
    "Policy",
    "PolicyRule",
    "Project",
    "Role",
    "Shot",
    "Stage",
    "StyleBible",
    "Task",
    "Transition",
    "Voice",
    "Weights",
    "effective_weights",
    "load_project",
]
