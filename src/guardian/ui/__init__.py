"""Qt user interfaces: the parent console, the child tray, shared widgets. Only this package imports Qt widgets."""
