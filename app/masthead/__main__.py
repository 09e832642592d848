"""Run Masthead with ``python -m masthead``."""

import multiprocessing
import sys

from masthead.cli import main

if __name__ == "__main__":  # guarded: index worker processes import this module again
    multiprocessing.freeze_support()
    sys.exit(main())
