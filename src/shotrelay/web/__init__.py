"""The browser review studio (``shotrelay serve``): boards, the structure gate, shots and cuts.

Every action calls ``shotrelay.api``, as the CLI does; see docs/studio.md.
"""

from shotrelay.web.app import create_app, serve
from shotrelay.web.runs import Studio
from shotrelay.web.security import is_loopback, studio_token

__all__ = ["Studio", "create_app", "is_loopback", "serve", "studio_token"]
