"""The SpamAssassin score of a message, where Debian's spamassassin is installed (the preflight and the tests)."""

import re
import shutil
import subprocess

SCORE = re.compile(r"^X-Spam-Status: \w+, score=(-?[\d.]+)", re.MULTILINE)


def spam_report(message):
    """(score, the report's headers) of an `EmailMessage`, or None where spamassassin is not installed."""
    program = shutil.which("spamassassin")
    if program is None:
        return None
    # -L: local tests only (no network lookups); -t: report the score in the headers.
    result = subprocess.run(  # noqa: S603 (a fixed program and arguments)
        [program, "-L", "-t"], input=message.message().as_bytes(), capture_output=True, timeout=120, check=True
    )
    report = result.stdout.decode("utf-8", "replace")
    return float(SCORE.search(report).group(1)), report.split("\n\n", 1)[0]
