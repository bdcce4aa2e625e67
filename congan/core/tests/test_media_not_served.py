"""Uploaded files are read only through scoped, audited views: MEDIA_ROOT is never served, DEBUG or not."""

from __future__ import annotations

import importlib

import pytest
from django.urls import Resolver404, clear_url_caches, get_resolver

import congan.urls


@pytest.fixture
def urls_with_debug(settings):
    settings.DEBUG = True
    clear_url_caches()
    yield importlib.reload(congan.urls)
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(congan.urls)


def test_no_url_serves_uploaded_files_even_with_debug_on(urls_with_debug, settings):
    resolver = get_resolver(urls_with_debug)
    with pytest.raises(Resolver404):
        resolver.resolve(f"{settings.MEDIA_URL}dossiers/can-cuoc.jpg")
