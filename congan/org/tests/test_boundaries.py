"""Commune boundaries: imported from GeoJSON or a shapefile, each unusable feature named with its
reason; reports are routed to the commune whose boundary holds their point (the nearest seat only
without boundaries, marked approximate); warnings reach the communes their area touches."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
import shapefile
from django.core.cache import cache
from django.core.management import CommandError, call_command

from congan.alerts.models import Alert
from congan.alerts.selectors import alert_communes
from congan.core.models import AuditEvent
from congan.incidents import services as incidents
from congan.org import boundaries
from congan.org.models import CommuneBoundary, Unit
from congan.org.selectors import commune_location

pytestmark = pytest.mark.django_db

# Hải Vân (20194) is the western square, Liên Chiểu (20197) the eastern one; Liên Chiểu's police
# sits just inside Hải Vân, so the nearest seat of a point in western Hải Vân is Liên Chiểu's.
WEST = [[108.20, 16.05], [108.22, 16.05], [108.22, 16.07], [108.20, 16.07], [108.20, 16.05]]
EAST = [[108.22, 16.05], [108.24, 16.05], [108.24, 16.07], [108.22, 16.07], [108.22, 16.05]]
POINT_IN_WEST = (16.06, 108.2185)  # latitude, longitude


def _feature(code, ring, name="", code_key="ma_xa"):
    return {
        "type": "Feature",
        "properties": {code_key: code, "ten_xa": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture(autouse=True)
def seats(commune, other_commune):
    cache.delete(boundaries.CACHE_KEY)
    Unit.objects.filter(pk=commune.pk).update(latitude=Decimal("16.0600"), longitude=Decimal("108.2050"))
    Unit.objects.filter(pk=other_commune.pk).update(latitude=Decimal("16.0600"), longitude=Decimal("108.2190"))
    yield
    cache.delete(boundaries.CACHE_KEY)


@pytest.fixture
def geojson(tmp_path):
    path = tmp_path / "ranh-gioi.geojson"
    features = [
        _feature("20194", WEST, "Phường Hải Vân"),
        _feature(20197, EAST, "Phường Liên Chiểu"),  # a number: files from spreadsheets do this
        _feature("99999", EAST, "Không có"),
        {
            "type": "Feature",
            "properties": {"ma_xa": "20194"},
            "geometry": {"type": "Point", "coordinates": [108.2, 16]},
        },
        _feature("20197", [[lat, lon] for lon, lat in EAST]),  # latitude first: outside Vietnam
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_the_import_keeps_usable_communes_and_says_why_it_left_the_others(geojson, capsys):
    call_command("geo", "import-boundaries", str(geojson))
    out, err = capsys.readouterr()
    assert "2 commune boundaries imported, 3 features skipped" in out
    assert "99999" in err and "mã xã không thuộc tỉnh" in err
    assert "không phải vùng" in err and "nằm ngoài lãnh thổ Việt Nam" in err
    assert sorted(CommuneBoundary.objects.values_list("area_code", flat=True)) == ["20194", "20197"]
    event = AuditEvent.objects.get(action="org.boundaries.import")
    assert event.details == {"source": "ranh-gioi.geojson", "communes": ["20194", "20197"]}


def test_a_file_with_nothing_usable_is_an_error(tmp_path):
    path = tmp_path / "sai.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [_feature("99999", WEST)]}))
    with pytest.raises(CommandError, match="no boundary imported"):
        call_command("geo", "import-boundaries", str(path))


def test_a_zipped_shapefile_is_read_with_a_named_code_field(tmp_path):
    with shapefile.Writer(str(tmp_path / "xa"), shapeType=shapefile.POLYGON, encoding="utf-8") as writer:
        writer.field("MAPHUONG", "C", size=5)
        writer.poly([WEST])
        writer.record("20194")
    archive = tmp_path / "ranh-gioi.zip"
    with zipfile.ZipFile(archive, "w") as package:
        for suffix in ("shp", "shx", "dbf"):
            package.write(tmp_path / f"xa.{suffix}", f"xa.{suffix}")
    call_command("geo", "import-boundaries", str(archive), "--code-field", "MAPHUONG", stdout=io.StringIO())
    assert CommuneBoundary.objects.get().area_code == "20194"


def test_a_point_is_in_the_commune_whose_boundary_holds_it_not_the_nearest_seat(geojson, commune, other_commune):
    assert commune_location(*POINT_IN_WEST) == (other_commune, True)  # no boundaries: the nearest seat
    call_command("geo", "import-boundaries", str(geojson), stdout=io.StringIO(), stderr=io.StringIO())
    assert commune_location(*POINT_IN_WEST) == (commune, False)
    assert commune_location(16.06, 108.23) == (other_commune, False)
    assert commune_location(16.5, 108.5) == (other_commune, True)  # outside every boundary: nearest seat


def _report_at_point(token):
    return incidents.report_submit(
        kind_code="ANTT.GAYROI",
        description="Nhóm thanh niên tụ tập gây rối",
        commune_code="",
        client_token=token,
        latitude=Decimal(str(POINT_IN_WEST[0])),
        longitude=Decimal(str(POINT_IN_WEST[1])),
        anonymous=True,
    ).report


def test_a_report_is_routed_by_the_boundary_and_says_so_when_it_was_a_guess(geojson, commune, other_commune):
    incidents.kinds_load(by="system")
    guessed = _report_at_point("guess")
    assert (guessed.unit, guessed.commune_approximate) == (other_commune, True)
    call_command("geo", "import-boundaries", str(geojson), stdout=io.StringIO(), stderr=io.StringIO())
    routed = _report_at_point("routed")
    assert (routed.unit, routed.commune_approximate) == (commune, False)


def test_a_warning_reaches_the_communes_its_area_touches(geojson):
    call_command("geo", "import-boundaries", str(geojson), stdout=io.StringIO(), stderr=io.StringIO())
    east_only = Alert(polygon=[[16.055, 108.225], [16.055, 108.235], [16.065, 108.235], [16.065, 108.225]])
    assert alert_communes(east_only) == {"20197"}
    across = Alert(circle_latitude=16.06, circle_longitude=108.22, circle_radius_km=0.5)
    assert alert_communes(across) == {"20194", "20197"}
