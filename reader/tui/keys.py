"""The keys in force: a binding's own keys, or the ones ``keys:`` in settings.yaml gave its id.

Textual applies the keymap to the bindings it dispatches (and the footer shows), not to the
class ``BINDINGS``: everything else that names a key (help, palette, key handlers) asks here.
"""

from __future__ import annotations

import re
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode


def remapped(app: App[Any], binding: Binding) -> bool:
    return bool(binding.id and binding.id in app._keymap)


def keys_in_force(app: App[Any], binding: Binding) -> list[str]:
    """The binding's keys (long form, e.g. "slash"), as remapped by the app's keymap."""
    remapped = app._keymap.get(binding.id) if binding.id else None
    return [key.strip() for key in (remapped or binding.key).split(",") if key.strip()]


def keys_by_id(node: DOMNode, binding_id: str) -> list[str]:
    """The keys in force for the binding ``binding_id`` of ``node`` (or of the app)."""
    for owner in (node, node.app):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id == binding_id:
                return keys_in_force(node.app, binding)
    return []


def key_display(node: DOMNode, binding_id: str) -> str:
    """How the keys of ``binding_id`` read on screen, e.g. "t" or "?" ("/" between keys)."""
    app = node.app
    return "/".join(app.get_key_display(Binding(key, "")) for key in keys_by_id(node, binding_id))


def with_key(node: DOMNode, text: str, binding_id: str) -> str:
    """``text (key)``, with the key in force for ``binding_id`` (settings.yaml may remap it)."""
    key = key_display(node, binding_id)
    return f"{text} ({key})" if key else text


_PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_0-9]+)(?::(\d{1,2}))?\}")


def fill_keys(app: App[Any], template: str, bindings: dict[str, Binding]) -> str:
    """``template`` with each ``{binding.id}`` (or ``{binding.id:WIDTH}``, padded) replaced by
    the first key in force for that binding, e.g. ``/``, or ``f`` after a remap."""

    def key(match: re.Match[str]) -> str:
        binding = bindings.get(match.group(1))
        if binding is None:
            return match.group(0)
        keys = keys_in_force(app, binding)
        shown = app.get_key_display(Binding(keys[0], "")) if keys else "?"
        width = int(match.group(2) or 0)
        return shown.ljust(width - 1) + " " if width else shown

    return _PLACEHOLDER.sub(key, template)
