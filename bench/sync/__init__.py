"""Sync benchmark: Contactbox vs vdirsyncer vs the protocol floor (``python -m bench.sync``)."""
