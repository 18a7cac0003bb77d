"""Widgets of the reader app, one per module."""
