"""The child's tray: time left, warnings, the time's-up screen, asking for more time, help and privacy.

It talks to the agent only through a :class:`~guardian.ui.tray.link.TrayLink` (never ipc, store, agent or
platform directly), so every window can be driven by a fake link in tests.
"""
