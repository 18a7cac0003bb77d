"""The Textual app: screens, widgets, the command palette, settings, undo, and display helpers."""
