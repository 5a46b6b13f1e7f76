"""Local-socket IPC between the agent and its clients: newline-delimited JSON (see ``docs/ipc.md``).

``protocol`` defines the messages and errors, ``connection`` what every server transport shares (the
connection a handler sees, line framing, answering a line), ``server`` is the agent's side, ``client`` the
blocking client, ``peer`` reads the caller's OS identity from the socket.
"""

from guardian.ipc.client import IpcClient, default_socket_path
from guardian.ipc.peer import Peer, peer_credentials
from guardian.ipc.protocol import (
    MAX_MESSAGE,
    AgentAlreadyRunning,
    AgentNotRunning,
    IpcError,
    ProtocolError,
    Request,
    parse_request,
)
from guardian.ipc.server import Connection, IpcServer

__all__ = [
    "MAX_MESSAGE",
    "AgentAlreadyRunning",
    "AgentNotRunning",
    "Connection",
    "IpcClient",
    "IpcError",
    "IpcServer",
    "Peer",
    "ProtocolError",
    "Request",
    "default_socket_path",
    "parse_request",
    "peer_credentials",
]
