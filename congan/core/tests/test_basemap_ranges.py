"""The operator's PMTiles archive is served in byte ranges (RFC 9110): the renderer asks for the
header and directories, then each tile, and gets exactly those bytes; a range it cannot have is
416 with the file's length; anything else gets the whole file, streamed."""

from __future__ import annotations

import pytest
from django.utils.http import http_date

from congan.core import basemap
from congan.core.basemap import Unsatisfiable, requested_range
from tests.map_files import write_vector_pmtiles

URL = "/ban-do/nen.pmtiles"
BOUNDS = (108.1, 16.0, 108.3, 16.1)


@pytest.fixture
def archive(tmp_path, settings):
    path = tmp_path / "tinh.pmtiles"
    write_vector_pmtiles(path, BOUNDS, range(0, 8))
    settings.BASEMAP_FILE = str(path)
    settings.INCIDENTS_TILE_URL = ""
    return path


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_first_bytes_come_as_206_with_their_range(client, archive):
    data = archive.read_bytes()
    response = client.get(URL, headers={"Range": "bytes=0-126"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-126/{len(data)}"
    assert response["Content-Length"] == "127"
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == data[:127]
    assert _body(response).startswith(b"PMTiles\x03")
    assert "public" in response["Cache-Control"] and response["ETag"].startswith('"')


def test_a_suffix_range_sends_the_last_bytes(client, archive):
    data = archive.read_bytes()
    response = client.get(URL, headers={"Range": "bytes=-100"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {len(data) - 100}-{len(data) - 1}/{len(data)}"
    assert _body(response) == data[-100:]


def test_an_open_range_sends_the_rest_of_the_file(client, archive):
    data = archive.read_bytes()
    response = client.get(URL, headers={"Range": "bytes=200-"})
    assert response.status_code == 206
    assert _body(response) == data[200:]


def test_a_range_past_the_end_is_cut_at_the_end_of_the_file(client, archive):
    """The renderer's first request asks for 16 KiB, more than a small archive holds."""
    data = archive.read_bytes()
    response = client.get(URL, headers={"Range": "bytes=0-16383"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-{len(data) - 1}/{len(data)}"
    assert _body(response) == data


@pytest.mark.parametrize("wanted", ["bytes={size}-", "bytes={size}-{more}", "bytes=-0"])
def test_a_range_with_no_byte_of_the_file_is_416_with_its_length(client, archive, wanted):
    size = archive.stat().st_size
    response = client.get(URL, headers={"Range": wanted.format(size=size, more=size + 10)})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert response.content == b""


@pytest.mark.parametrize(
    "wanted",
    ["bytes=0-1,5-6", "bytes=abc", "bytes=5-2", "items=0-1", "bytes=", "bytes=-", "0-1", "bytes=1-2-3"],
)
def test_several_or_malformed_ranges_send_the_whole_file(client, archive, wanted):
    data = archive.read_bytes()
    response = client.get(URL, headers={"Range": wanted})
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(data))
    assert _body(response) == data
    assert "Content-Range" not in response


def test_a_range_under_if_range_of_another_version_sends_the_whole_file(client, archive):
    data = archive.read_bytes()
    same = client.get(URL, headers={"Range": "bytes=0-9"})
    assert client.get(URL, headers={"Range": "bytes=0-9", "If-Range": same["ETag"]}).status_code == 206
    assert client.get(URL, headers={"Range": "bytes=0-9", "If-Range": same["Last-Modified"]}).status_code == 206
    changed = client.get(URL, headers={"Range": "bytes=0-9", "If-Range": '"another-version"'})
    assert changed.status_code == 200 and _body(changed) == data
    older = client.get(URL, headers={"Range": "bytes=0-9", "If-Range": http_date(1_000_000)})
    assert older.status_code == 200
    weak = client.get(URL, headers={"Range": "bytes=0-9", "If-Range": "W/" + same["ETag"]})
    assert weak.status_code == 200


def test_an_unchanged_archive_is_not_sent_again(client, archive):
    first = client.get(URL, headers={"Range": "bytes=0-9"})
    again = client.get(URL, headers={"Range": "bytes=0-9", "If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_new_version_of_the_file_has_a_new_tag(client, archive):
    first = client.get(URL, headers={"Range": "bytes=0-9"})["ETag"]
    write_vector_pmtiles(archive, (108.1, 16.0, 108.4, 16.2), range(0, 9))
    assert client.get(URL, headers={"Range": "bytes=0-9"})["ETag"] != first


def test_head_tells_the_length_without_the_bytes(client, archive):
    size = archive.stat().st_size
    whole = client.head(URL)
    assert whole.status_code == 200 and whole["Content-Length"] == str(size) and whole.content == b""
    part = client.head(URL, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part["Content-Length"] == "10" and part.content == b""


def test_the_archive_is_public_and_only_read(client, archive):
    assert client.get(URL, headers={"Range": "bytes=0-9"}).status_code == 206  # nobody signed in
    assert client.post(URL).status_code == 405


def test_without_a_pmtiles_file_there_is_nothing_to_serve(client, settings, tmp_path):
    settings.BASEMAP_FILE = ""
    assert client.get(URL).status_code == 404
    settings.BASEMAP_FILE = str(tmp_path / "missing.pmtiles")
    assert client.get(URL).status_code == 404
    foreign = tmp_path / "not-a-map.pmtiles"
    foreign.write_bytes(b"<html>not a map</html>")
    settings.BASEMAP_FILE = str(foreign)
    assert client.get(URL).status_code == 404
    assert basemap.page_config() is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=0-99", (0, 99)),
        ("bytes=90-", (90, 99)),
        ("bytes=90-500", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        (" Bytes = 5-6 ", (5, 6)),
        ("bytes=5-6,", (5, 6)),
        (None, None),
        ("", None),
        ("bytes=5-6,8-9", None),
        ("bytes=6-5", None),
        ("bytes=x-5", None),
        ("bytes=99999999999999999999-", None),
    ],
)
def test_the_range_header_is_read_as_rfc_9110_says(header, expected):
    assert requested_range(header, 100) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=100-", 100), ("bytes=-0", 100), ("bytes=0-", 0), ("bytes=-5", 0)])
def test_a_range_outside_the_file_is_unsatisfiable(header, size):
    with pytest.raises(Unsatisfiable):
        requested_range(header, size)
