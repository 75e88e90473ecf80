"""`python -m app.cli …`: the same as `contactbox-sync …` (the tests run the CLI so)."""

from __future__ import annotations

from app.cli.entry import main

if __name__ == "__main__":
    raise SystemExit(main())
