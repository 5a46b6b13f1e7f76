"""Local-socket IPC between the agent and its clients: newline-delimited JSON (see ``docs/ipc.md``).

``protocol`` defines the envelope, the parameter schemas and the errors (the typed messages are
``guardian.core.messages``), ``connection`` what every server transport shares (the connection a handler sees,
line framing, answering a line), ``limits`` how many clients are served and which are dropped, ``server`` is the
agent's side, ``client`` the blocking client (it refuses a socket another account serves), ``peer`` reads the
caller's OS identity from the socket.
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
