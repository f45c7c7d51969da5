"""Time-ordered identifiers: UUID version 7 (RFC 9562 §5.7), which Python has only from 3.14.

48 bits of Unix time in milliseconds, then the version, 74 random bits and the variant. Rows keyed
by them are inserted at the end of their indexes instead of at random places: a batch of 50 hub
messages dirties a few index pages rather than ~50 (docs/hub-performance.md). They reveal the
millisecond they were made, which the hub's receipts state anyway.
"""

from __future__ import annotations

import os
import time
import uuid

_TIME_MASK = (1 << 48) - 1
_RANDOM_MASK = (1 << 80) - 1
_VERSION_BITS = 0xF << 76
_VARIANT_BITS = 0x3 << 62


def uuid7() -> uuid.UUID:
    """A new version-7 UUID for now; later milliseconds sort after earlier ones."""
    millis = time.time_ns() // 1_000_000
    value = (millis & _TIME_MASK) << 80 | int.from_bytes(os.urandom(10), "big") & _RANDOM_MASK
    value = (value & ~_VERSION_BITS) | 0x7 << 76
    value = (value & ~_VARIANT_BITS) | 0x2 << 62
    return uuid.UUID(int=value)
