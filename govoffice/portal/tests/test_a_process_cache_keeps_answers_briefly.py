"""With each process's own cache (the default), what one process forgets the others keep: public
answers are then kept 10 s at most; a shared cache keeps them as long as asked."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches

from govoffice.portal import public_cache


def test_each_processs_own_cache_keeps_a_public_answer_ten_seconds_at_most() -> None:
    assert public_cache.lifetime(public_cache.STATUS_SECONDS) == 10
    assert public_cache.lifetime(5) == 5


def test_a_shared_cache_keeps_it_as_long_as_asked(settings: Any, tmp_path: Any) -> None:
    # Changing CACHES through the settings fixture makes Django build the cache handlers anew.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}}
    assert not caches["default"].__class__.__name__.startswith("LocMem")
    assert public_cache.lifetime(public_cache.STATUS_SECONDS) == public_cache.STATUS_SECONDS
