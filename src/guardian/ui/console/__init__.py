"""The parent console: PIN lock, dashboard, rules editor, app picker, settings, guide."""
