"""The agent interface: ``shotrelay mcp``, the production as MCP tools and resources.

Built on ``shotrelay.api`` only; see docs/agents.md.
"""

from shotrelay.agent.server import INSTRUCTIONS, build_server, serve

__all__ = ["INSTRUCTIONS", "build_server", "serve"]
