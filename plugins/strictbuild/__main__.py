"""Entry point: ``python -m strictbuild``."""

from __future__ import annotations

import sys

from .driver import main

sys.exit(main())
