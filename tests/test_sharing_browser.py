"""The HTML report in a real browser: headless Chromium, network off.

Chromium opens the page from a file with every host name mapped to nowhere,
and its network log shows what was asked for: the browser's own background
requests have no origin; a request from the page carries the page's
(``null`` for a file). A control page with an external image proves the log
would show one. Then the rendered DOM holds the charts and the written
statuses, and a screenshot and a PDF (A4) come out non-empty.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from helpers import program

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--no-pings",
         "--host-resolver-rules=MAP * ~NOTFOUND")  # fmt: skip


def chromium(tmp_path, page, *args):
    """Run Chromium on ``page`` with ``args``; its stdout and the URLs the
    page itself asked for (from the network log)."""
    net_log = tmp_path / "net.json"
    profile = tmp_path / "profile"
    result = subprocess.run(
        [program("chromium"), *FLAGS, f"--user-data-dir={profile}",
         f"--log-net-log={net_log}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    log = json.loads(net_log.read_text())
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    asked = [
        event["params"]["url"]
        for event in log["events"]
        if names.get(event["type"]) == "URL_REQUEST_START_JOB"
        and event.get("params", {}).get("initiator") != "not an origin"  # the browser's own
        and event["params"].get("url", "").split(":")[0] in ("http", "https", "ws", "wss")
    ]
    return result.stdout, asked


@pytest.fixture
def page(rubdown, tmp_path):
    db = tmp_path / "demo.db"
    assert rubdown("demo", "--db", str(db)).exit_code == 0
    out = tmp_path / "report.html"
    result = rubdown("--db", str(db), "report", "--weeks", "16", "--every", "2w", "--format",
                     "html", "--output", str(out))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def test_the_network_log_would_show_a_request_from_the_page(tmp_path):
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><img src="https://rubdown.invalid/x.png">')
    _, asked = chromium(tmp_path, control, "--dump-dom")
    assert asked == ["https://rubdown.invalid/x.png"]


def test_the_report_renders_offline_shows_its_charts_and_prints(page, tmp_path):
    dom, asked = chromium(tmp_path, page, "--dump-dom")
    assert asked == []
    for chart in ("chart-weeks", "chart-recovery", "chart-regularity"):
        assert f'<svg class="chart" id="{chart}"' in dom
        assert f'<title id="{chart}-title">' in dom and f'<desc id="{chart}-desc">' in dom
    for status in ("on time", "late", "missed", "pending"):
        assert f">{status}</span>" in dom  # the table says it in words
        assert f">{status} · " in dom  # and so does the chart
    assert "Self-reported training log, not medical advice." in dom
    shot = tmp_path / "report.png"
    _, asked = chromium(tmp_path, page, "--window-size=1000,1400", "--hide-scrollbars",
                        f"--screenshot={shot}")  # fmt: skip
    assert asked == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    pdf = tmp_path / "report.pdf"
    _, asked = chromium(tmp_path, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert asked == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000
