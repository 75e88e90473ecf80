"""Sync engine: plan (pure), execute (side effects), modes and reports."""
