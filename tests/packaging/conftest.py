"""The built app (dist/contactbox) under test: only when CONTACTBOX_BUILT_APP names it."""

from __future__ import annotations

from tests.servers.conftest import radicale_server  # noqa: F401
