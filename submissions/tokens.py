"""Status-link tokens: 32 random bytes shown once; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

# The alphabet of reference numbers: no 0/O, 1/I/L, so they can be read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_TOKEN_LENGTH = 128


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # The token has 256 bits of entropy, so a plain (unsalted) hash cannot be brute-forced.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_reference() -> str:
    """A short public reference for phone calls: 「受付番号 K7QM-2XPA」."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"
