"""Contactbox Sync core: pure Python, never imports Qt."""

from __future__ import annotations

__version__ = "0.1.0"
