"""Widgets shared by the parent console and the child's tray (Qt only; they draw what they are given)."""
