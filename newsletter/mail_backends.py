"""A development mail backend: every message becomes its own .eml file, one per recipient.

Django's file backend appends all messages of a connection to one log file, which no mail client opens; here
each file is a complete message (headers, plain text and HTML) that opens in any mail client.
"""

import re
import threading
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

UNSAFE = re.compile(r"[^A-Za-z0-9@._-]+")


class EmlFileBackend(BaseEmailBackend):
    _lock = threading.Lock()
    _counter = 0

    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(file_path or getattr(settings, "EMAIL_FILE_PATH", "sent-mail"))

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            content = message.message().as_bytes(linesep="\r\n")
            for recipient in message.recipients():
                self.file_for(recipient).write_bytes(content)
            sent += 1
        return sent

    def file_for(self, recipient):
        with self._lock:
            EmlFileBackend._counter += 1
            number = EmlFileBackend._counter
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        return self.directory / f"{stamp}-{number:04d}-{UNSAFE.sub('_', recipient)[:80]}.eml"
