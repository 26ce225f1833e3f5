"""The password hash: Argon2id with at least OWASP's recommended parameters.

OWASP's Password Storage Cheat Sheet (2023+) recommends Argon2id with m = 19 MiB,
t = 2, p = 1 as a minimum. Django's own Argon2 hasher uses 100 MiB and 8 lanes,
which costs ~5× the time and memory per login on a 2-core machine without being
the recommendation; this one is the recommendation, so a login by password
stays well under 150 ms and two cores manage dozens of logins a second.

Existing PBKDF2 hashes keep working and are rewritten as Argon2id on the next
successful login (Django re-hashes when the stored algorithm is not the first of
``PASSWORD_HASHERS``, and when these parameters are raised later).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2Hasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1 (OWASP minimum)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
