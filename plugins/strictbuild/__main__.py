"""Entry point: ``python -m strictbuild``."""

from __future__ import annotations

from .driver import exit_now, main

exit_now(main())
