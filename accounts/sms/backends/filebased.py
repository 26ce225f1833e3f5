import json
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    """Writes each message as a JSON file in ``SMS_FILE_PATH`` (one file per message)."""

    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.path = Path(file_path or settings.SMS_FILE_PATH)
        self.path.mkdir(parents=True, exist_ok=True)

    def send_messages(self, messages) -> int:
        for message in messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            name = f"{stamp}-{message.phone}-{uuid.uuid4().hex[:8]}.json"
            tmp = self.path / (name + ".tmp")
            tmp.write_text(
                json.dumps(
                    {
                        "phone": message.phone,
                        "template": message.template,
                        "params": message.params,
                        "signature": message.signature,
                        "text": message.render(),
                    },
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
            os.replace(tmp, self.path / name)
        return len(messages)
