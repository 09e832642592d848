"""Entry point of the packaged app (PyInstaller)."""

import multiprocessing
import sys

from masthead.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
