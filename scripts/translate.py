"""Fill English translations into locale/en from a small table: `python scripts/translate.py`.

Only entries that are still empty or fuzzy are touched. Needs polib
(`.venv/bin/pip install polib`); the lead uses it when new strings appear.
"""

import sys

import polib

TABLE = {
    "文化和旅游部市场管理司": "Department of Market Management, Ministry of Culture and Tourism",
    "%(name)s 第%(n)s版": "%(name)s, version %(n)s",
    "%(ref)s 变更（第%(n)s版）": "%(ref)s change (version %(n)s)",
    "注册成功，登录账号为手机号%(account)s，请使用手机号和密码登录。": (
        "Registered. Your login is your mobile number %(account)s: log in with it and your password."
    ),
    "所选条目无效，请重新勾选。": "The selected items are not valid; please select them again.",
}

po = polib.pofile("locale/en/LC_MESSAGES/django.po")
done = 0
for entry in po:
    if entry.msgid in TABLE and (not entry.msgstr or "fuzzy" in entry.flags):
        entry.msgstr = TABLE[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        done += 1
po.save()
print(f"translated {done}", file=sys.stderr)
