"""The channel-free dialogue core shared by Telegram and the console."""

from .commands import parse_command
from .core import Dialogue, Services, today_wib
from .flows import Flow, FlowContext, FlowStep
from .types import Button, Effect, Incoming, Kind, Outcome, Reply, State, Turn

__all__ = [
    "Button",
    "Dialogue",
    "Effect",
    "Flow",
    "FlowContext",
    "FlowStep",
    "Incoming",
    "Kind",
    "Outcome",
    "Reply",
    "Services",
    "State",
    "Turn",
    "parse_command",
    "today_wib",
]
