"""PyInstaller entry point of the window: `contactbox` (= ui.app:main)."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
