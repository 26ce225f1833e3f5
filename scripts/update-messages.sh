#!/usr/bin/env bash
# Refresh the message catalogues from the source (templates and Python), then compile them.
#   scripts/update-messages.sh
# Source strings are Chinese: locale/en carries the English translation (every
# entry must be translated: tests/portal/test_locale.py), locale/zh_Hans may stay
# untranslated (an empty msgstr falls back to the Chinese source string).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"

"$PY" manage.py makemessages -l en -l zh_Hans \
  --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='bench/*' \
  --ignore='deploy/*' --ignore='static/vendor/*' --ignore='node_modules/*' \
  --add-location=file --no-obsolete
"$PY" manage.py compilemessages -v 0 --ignore='.venv/*'

# Entries still to translate in English (empty or fuzzy):
"$PY" - <<'PY'
import ast, pathlib, re
text = pathlib.Path("locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
blocks = [b for b in text.split("\n\n") if "msgid" in b]
todo = [b for b in blocks[1:] if "#, fuzzy" in b or re.search(r'^msgstr(\[\d+\])? ""$(?!\n")', b, re.M)]
print(f"locale/en: {len(blocks) - 1} entries, {len(todo)} to translate")
for block in todo:
    msgid = re.search(r'^msgid (".*"(?:\n".*")*)', block, re.M)
    print("  -", "".join(ast.literal_eval(part) for part in msgid.group(1).split("\n"))[:100] if msgid else block[:100])
PY
