"""The operator's base map file over HTTP (decision 0023): public (a base map holds no personal
data, and the public warning page draws it), cacheable, never read whole into memory.

- ``/ban-do/nen.pmtiles``: the PMTiles archive itself, with byte ranges (206, 416, If-Range);
- ``/ban-do/nen/{z}/{x}/{y}.{ext}``: one tile of an MBTiles database or a PMTiles archive.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from congan.core import basemap as basemap_module
from congan.core.basemap import BaseMapFile, Unsatisfiable

CACHE_CONTROL = "public, max-age=3600"
CHUNK = 256 * 1024  # bytes read at a time from the file when a range is sent
IN_MEMORY = 1024 * 1024  # a range up to this size is read in one call (tiles, directories)


def _headers(response: HttpResponseBase, basemap: BaseMapFile, etag: str | None = None) -> None:
    response["ETag"] = etag or basemap.etag
    response["Last-Modified"] = http_date(basemap.last_modified)
    response["Cache-Control"] = CACHE_CONTROL


@require_safe
def basemap_pmtiles(request: HttpRequest) -> HttpResponseBase:
    """The PMTiles archive, whole or one byte range of it, for the browser's renderer."""
    basemap = basemap_module.basemap_file()
    if basemap is None or basemap.kind != "pmtiles":
        raise Http404
    conditional = get_conditional_response(request, etag=basemap.etag, last_modified=basemap.last_modified)
    if conditional is not None:  # 304 Not Modified, or 412 for a failed If-Match
        _headers(conditional, basemap)
        return conditional
    wanted = None
    if basemap_module.if_range_holds(
        request.headers.get("If-Range"), etag=basemap.etag, last_modified=basemap.last_modified
    ):
        try:
            wanted = basemap_module.requested_range(request.headers.get("Range"), basemap.size)
        except Unsatisfiable:
            response: HttpResponseBase = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{basemap.size}"
            _headers(response, basemap)
            response["Accept-Ranges"] = "bytes"
            return response
    if wanted is None:
        response = _whole(request, basemap)
    else:
        first, last = wanted
        response = _part(request, basemap.path, first, last)
        response["Content-Range"] = f"bytes {first}-{last}/{basemap.size}"
    response["Accept-Ranges"] = "bytes"
    _headers(response, basemap)
    return response


def _whole(request: HttpRequest, basemap: BaseMapFile) -> HttpResponseBase:
    if request.method == "HEAD":
        response = HttpResponse(content_type="application/octet-stream")
        response["Content-Length"] = str(basemap.size)
        return response
    # FileResponse streams the file (the server's sendfile where it has one).
    return FileResponse(basemap.path.open("rb"), content_type="application/octet-stream")


def _part(request: HttpRequest, path: Path, first: int, last: int) -> HttpResponseBase:
    length = last - first + 1
    response: HttpResponseBase
    if request.method == "HEAD":
        response = HttpResponse(status=206, content_type="application/octet-stream")
    elif length <= IN_MEMORY:
        with path.open("rb") as handle:
            response = HttpResponse(
                os.pread(handle.fileno(), length, first), status=206, content_type="application/octet-stream"
            )
    else:
        response = StreamingHttpResponse(
            _chunks(path, first, length), status=206, content_type="application/octet-stream"
        )
    response["Content-Length"] = str(length)
    return response


def _chunks(path: Path, first: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        offset, left = first, length
        while left > 0:
            data = os.pread(handle.fileno(), min(CHUNK, left), offset)
            if not data:
                return
            offset += len(data)
            left -= len(data)
            yield data


@require_safe
def basemap_tile(request: HttpRequest, z: int, x: int, y: int, ext: str) -> HttpResponseBase:
    """One tile of the base map file: raster drawn by Leaflet, vector by the renderer. A tile the
    file does not hold is an empty 404 (the renderer draws nothing there)."""
    basemap = basemap_module.basemap_file()
    if basemap is None or basemap_module.FORMAT_ALIASES.get(ext, ext) != basemap.tile_format:
        raise Http404
    etag = f'"{basemap.mtime_ns:x}-{basemap.size:x}-{z}-{x}-{y}"'
    conditional = get_conditional_response(request, etag=etag, last_modified=basemap.last_modified)
    if conditional is not None:
        _headers(conditional, basemap, etag)
        return conditional
    data = basemap_module.tile(basemap, z, x, y)
    if data is None:
        response: HttpResponseBase = HttpResponse(b"", status=404, content_type="text/plain")
        _headers(response, basemap, etag)
        return response
    encoding = basemap_module.tile_encoding(basemap, data)
    if encoding and encoding not in request.headers.get("Accept-Encoding", ""):
        plain = basemap_module.decoded(data, encoding)
        if plain is None:  # br or zstd for a client without it: this server cannot decode it
            raise Http404
        data, encoding = plain, ""
    response = HttpResponse(data, content_type=basemap_module.CONTENT_TYPES[basemap.tile_format])
    if encoding:
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding",))
    _headers(response, basemap, etag)
    return response
