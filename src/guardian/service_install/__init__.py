"""Installing Guardian like real software: the agent as a protected system service, the child's tray in every
graphical session, data only administrators can touch — or, in personal mode (no admin), both as the user's own
autostart entries.

- :mod:`.plan` — what an install is: files (path, text, mode), folders, commands; and the :class:`~.plan.Host`
  seam through which every change to the OS goes (the tests pass a fake one);
- :mod:`.linux`, :mod:`.windows`, :mod:`.macos` — each OS's plan (systemd units and XDG autostart entries;
  service control manager, Run key and ACL commands; launchd plists);
- :mod:`.command` — ``guardian service install|uninstall|status [--personal]``.

The Linux ``.deb`` (``scripts/build.py``) ships the very files the Linux plan writes.
"""
