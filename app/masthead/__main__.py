"""Run Masthead with ``python -m masthead``."""

import sys

from masthead.cli import main

if __name__ == "__main__":  # guarded: index worker processes import this module again
    if getattr(sys, "frozen", False):  # a packaged app (its workers are its own executable: see workers)
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
