"""Settings for the published site: local settings plus the public address."""

from __future__ import annotations

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# The public address of the site, e.g. https://user.github.io/repo
PUBLIC_URL = os.environ.get("SITEURL", "").rstrip("/")
