"""Settings of bench/scale.py: the portal's production settings, unchanged but for the verify page's
per-address rate limit (every request of the load test comes from 127.0.0.1: measure the limiter's cost,
never its refusals; production reads no such variable, so the bench sets it here)."""

import os

from portal.settings.production import *  # noqa: F403

VERIFY_RATE_LIMIT_PER_MINUTE = int(os.environ.get("VERIFY_RATE_LIMIT_PER_MINUTE", str(10**9)))
