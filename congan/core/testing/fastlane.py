"""A test client that sends the fast lane's routes (congan.core.fastlane) through the lane, as the
production server does, and every other request through Django: the same tests then prove that
both transports answer alike."""

from __future__ import annotations

from typing import Any

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import Client
from django.test.client import ClientHandler

from congan.core import fastlane


class _LaneHandler(ClientHandler):
    def __call__(self, environ: dict[str, Any]) -> HttpResponse:
        found = fastlane.lane_route(environ)
        if found is None:
            return super().__call__(environ)
        status, headers, body = fastlane.serve(found, environ)
        response = HttpResponse(body, status=int(status[:3]))
        for name, value in headers:
            if name.lower() == "set-cookie":
                response.cookies.load(value)  # where the test client takes cookies from
            else:
                response.headers[name] = value
        response.wsgi_request = WSGIRequest(environ)
        response.served_by_fast_lane = True
        return response


class FastLaneClient(Client):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.handler = _LaneHandler(self.handler.enforce_csrf_checks)
