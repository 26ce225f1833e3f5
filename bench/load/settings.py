"""Settings of the stack under the load benchmark only (``make load``: STACK_LOAD_TEST=1).

The production settings, plus the image captcha's test answer (``PASSED``) so that
hundreds of simulated applicants and officials can log in through the real login
form. Nothing else changes: the figures are those of the production configuration.
Never deploy with these settings; ``portal.settings.production`` itself still
refuses CAPTCHA_TEST_MODE.
"""

from portal.settings.production import *  # noqa: F403

CAPTCHA_TEST_MODE = True
