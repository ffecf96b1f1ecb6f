"""The browser suite's failure report: a failing test names a screenshot and the HTML of each page it had open."""

from pathlib import Path

import pytest


def test_a_failing_step_leaves_a_screenshot_and_the_html_named_in_the_report(open_page, seeded_site, request):
    page = open_page("phone")
    page.goto(seeded_site + "/en/")
    # Runs pytest's report hooks (ours among them) on this test as if a step had just failed.
    call = pytest.CallInfo.from_call(lambda: pytest.fail("a journey step broke"), when="call")
    report = request.node.ihook.pytest_runtest_makereport(item=request.node, call=call)

    message = str(report.longrepr)
    assert report.failed
    assert "a journey step broke" in message
    assert "Pages open when the test failed" in message
    assert f"{seeded_site}/en/" in message
    named = [Path(line.strip()) for line in message.splitlines() if line.strip().endswith((".png", ".html"))]
    screenshot, html = (next(path for path in named if path.suffix == suffix) for suffix in (".png", ".html"))
    try:
        assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert '<html lang="en">' in html.read_text(encoding="utf-8")
        assert len(named) == 2, "one page open, one screenshot and one HTML file"
        assert all(path.name.startswith("test_failure_report-py-" + request.node.name) for path in named)
    finally:
        for path in named:
            path.unlink()
