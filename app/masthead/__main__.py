"""Run Masthead with ``python -m masthead``."""

import sys

from masthead.cli import main

sys.exit(main())
