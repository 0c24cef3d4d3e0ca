"""Hostile input is a failed FileResult with a reason: never an exception out
of scan, never a hang, never unbounded memory, never a file written."""

from __future__ import annotations

import gzip
import os
import random
import zipfile
import zlib
from pathlib import Path

import pytest

from helpers import scan
from rubdown.importers import FileResult, safety
from rubdown.importers.activity import LimitExceeded, UnreadableFile

DATA = Path(__file__).parent / "data"
CSV = DATA / "strava" / "activities.csv"
GPX_RUN = DATA / "gpx" / "runpandas_run_2020-07-05_hr.gpx"


def only(results) -> FileResult:
    results = list(results)
    assert len(results) == 1, results
    return results[0]


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "evil",
    ["../evil.gpx", "/etc/evil.gpx", "activities/../../evil.gpx", "C:/evil.gpx", "..\\evil.gpx"],
)
def test_zip_slip_archive_fails_whole_and_writes_nothing(tmp_path, evil):
    export = make_zip(
        tmp_path / "export.zip",
        {
            "activities.csv": CSV.read_bytes(),
            evil: GPX_RUN.read_bytes(),
        },
    )
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = only(scan([export]))
    assert result.status == "failed"
    assert "unsafe zip archive" in result.reason and repr(evil) in result.reason
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not Path("/etc/evil.gpx").exists()


def test_zip_bomb_member_fails_its_row(tmp_path):
    bomb = b"<" * (8 * 1024 * 1024)  # deflates more than 1000:1
    export = make_zip(
        tmp_path / "export.zip",
        {
            "activities.csv": CSV.read_bytes(),
            "activities/740821460.gpx": bomb,
        },
    )
    results = list(scan([export]))
    (failed,) = [r for r in results if r.status == "failed"]
    assert failed.entry.endswith("(id 740821460)")
    assert "compression ratio over 100:1" in failed.reason
    assert sum(r.status == "imported" for r in results) == 5  # the other runs still come in


def test_zip_bomb_as_activities_csv_fails_the_export(tmp_path):
    bomb = CSV.read_bytes() + b"\n" * (8 * 1024 * 1024)
    result = only(scan([make_zip(tmp_path / "export.zip", {"activities.csv": bomb})]))
    assert result.status == "failed"
    assert "compression ratio" in result.reason


def test_zip_member_size_and_count_caps(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_ZIP_MEMBERS", 5)
    many = make_zip(tmp_path / "many.zip", {f"activities/{i}.gpx": b"x" for i in range(6)})
    assert "lists 6 members (limit 5)" in only(scan([many])).reason

    monkeypatch.setattr(safety, "MAX_BYTES", 4096)
    big = make_zip(tmp_path / "big.zip", {"activities.csv": CSV.read_bytes()})
    result = only(scan([big]))
    assert result.status == "failed" and "member too large" in result.reason


def test_zip_member_that_lies_about_its_size_is_still_capped(tmp_path):
    data = os.urandom(3000)  # incompressible: ratio checks do not apply
    path = make_zip(tmp_path / "lying.zip", {"activities.csv": data})
    with zipfile.ZipFile(path) as archive:
        member = archive.infolist()[0]
        member.file_size = 10  # the archive claims 10 bytes
        # zipfile stops at the declared size and then fails the CRC; either
        # way no more than the limit is ever returned.
        with pytest.raises(UnreadableFile):
            safety.read_member(archive, member, limit=1000)


def test_non_zip_and_non_export_zip(tmp_path):
    (tmp_path / "fake.zip").write_bytes(b"PK\x03\x04 not really")
    assert only(scan([tmp_path / "fake.zip"])).status == "failed"
    plain = make_zip(tmp_path / "photos.zip", {"a.jpg": b"\xff\xd8"})
    assert only(scan([plain])).reason == "not a Strava export (no activities.csv)"


def test_gzip_bomb_is_stopped(tmp_path):
    bomb = tmp_path / "bomb.gpx.gz"
    bomb.write_bytes(gzip.compress(b" " * (8 * 1024 * 1024), compresslevel=9))
    result = only(scan([bomb]))
    assert result.status == "failed"
    assert "compression ratio over 100:1" in result.reason


def test_gzip_output_is_capped_incrementally():
    data = gzip.compress(os.urandom(300_000))  # incompressible, so only the size cap bites
    with pytest.raises(LimitExceeded, match="decompressed data over"):
        safety.gunzip(data, limit=100_000)
    assert safety.gunzip(data + b"\0\0\0")[0].__len__() == 300_000  # trailing padding ignored


def test_truncated_gzip_keeps_what_inflated(tmp_path):
    packed = (DATA / "fit/DERIVED_fitparse_2013-02-06_run_5laps.fit.gz").read_bytes()
    cut = tmp_path / "cut.fit.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    result = only(scan([cut]))
    assert result.status in ("recovered", "failed")
    assert "truncated gzip data" in result.reason


def test_huge_file_is_refused_without_reading_it(tmp_path):
    huge = tmp_path / "huge.gpx"
    with huge.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(65 * 1024 * 1024)
    result = only(scan([huge]))
    assert result.status == "failed"
    assert "file too large" in result.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.gpx"
    os.mkfifo(fifo)
    result = only(scan([fifo]))  # reading it would block forever
    assert (result.status, result.reason) == ("failed", "not a regular file")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1"><trk><name>&lol9;</name><trkseg>
<trkpt lat="1" lon="1"><time>2020-01-01T00:00:00Z</time></trkpt>
<trkpt lat="1.01" lon="1"><time>2020-01-01T00:10:00Z</time></trkpt>
</trkseg></trk></gpx>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx version="1.1"><trk><name>&secret;</name><trkseg>
<trkpt lat="1" lon="1"><time>2020-01-01T00:00:00Z</time></trkpt>
<trkpt lat="1.01" lon="1"><time>2020-01-01T00:10:00Z</time></trkpt>
</trkseg></trk></gpx>
"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
@pytest.mark.parametrize("suffix", [".gpx", ".tcx", ".gpx.gz"])
def test_xml_with_entities_or_dtd_fails(tmp_path, document, suffix):
    path = tmp_path / f"hostile{suffix}"
    path.write_bytes(gzip.compress(document) if suffix.endswith(".gz") else document)
    result = only(scan([path]))
    assert result.status == "failed"
    assert "DTD" in result.reason
    assert result.activities == ()


def test_decoding_errors_never_escape_scan(tmp_path):
    rng = random.Random(20260101)
    sources = [
        (DATA / "fit/fitparse_garmin-fenix-5-bike.fit").read_bytes(),
        (DATA / "fit/fitparse_activity-unexpected-eof_truncated.fit").read_bytes(),
    ]
    for index in range(40):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if index % 4 == 0:
            data = data[: rng.randrange(len(data))]
        (tmp_path / f"m{index:02}.fit").write_bytes(bytes(data))
    for junk in (b"", b"\x0e\x10", os.urandom(2000), zlib.compress(b"abc")):
        (tmp_path / f"junk{len(junk)}.fit").write_bytes(junk)
    results = list(scan([tmp_path]))
    assert len(results) == 44
    for result in results:
        assert result.status in ("imported", "recovered", "skipped", "failed")
        if result.status in ("failed", "recovered"):
            assert result.reason and "\n" not in result.reason
        assert "unexpected error" not in (result.reason or ""), result


def test_an_unexpected_error_is_reported_and_scanning_goes_on(tmp_path, monkeypatch):
    from rubdown.importers import gpx

    def broken(data):
        raise RuntimeError("bug in a parser")

    monkeypatch.setattr(gpx, "parse_gpx", broken)
    (tmp_path / "a.gpx").write_bytes(GPX_RUN.read_bytes())
    (tmp_path / "b.tcx").write_bytes(
        (DATA / "tcx/tcxparser_forerunner410_run_3laps.tcx").read_bytes()
    )
    first, second = scan([tmp_path])
    assert first.status == "failed"
    assert first.reason == "unexpected error (please report): RuntimeError: bug in a parser"
    assert second.status == "imported"
    monkeypatch.setenv("RUBDOWN_DEBUG", "1")
    with pytest.raises(RuntimeError):
        list(scan([tmp_path]))


def test_zip_member_name_flagged_utf8_but_not_fails_the_zip_in_one_line(tmp_path):
    # The archive says "UTF-8 names" (flag bit 11) but a name holds other
    # bytes (seen in zips from old Windows tools): zipfile cannot even list
    # it. The zip is failed with the name escaped and what to do, never as an
    # unexpected error; the other paths of the same import are read.
    good = "activities/1\u00e9.gpx"
    export = make_zip(tmp_path / "export.zip", {"activities.csv": CSV.read_bytes(),
                                               good: GPX_RUN.read_bytes()})  # fmt: skip
    raw = export.read_bytes()
    assert raw.count(good.encode()) == 2  # the local header and the central directory
    export.write_bytes(raw.replace(good.encode(), b"activities/1\xe9\xe9.gpx"))
    results = list(scan([export, GPX_RUN]))
    assert [r.status for r in results] == ["failed", "imported"]
    reason = results[0].reason
    assert "unexpected" not in reason and "\\xe9\\xe9" in reason and "unpack" in reason
