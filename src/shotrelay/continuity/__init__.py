"""Continuity: the ledger of what must hold across shots, and each shot's context packet."""

from shotrelay.continuity.ledger import ContinuityLedger, build_packet, shot_cast
from shotrelay.continuity.packet import CharacterContext, ContextPacket

__all__ = ["CharacterContext", "ContextPacket", "ContinuityLedger", "build_packet", "shot_cast"]
