#!/usr/bin/env bash
# Copies tus-js-client (the browser build) from the npm registry into static/vendor/tus/ with its
# licence: the portal serves it itself (no CDN). Run again to change the version:
#   scripts/vendor-tus.sh 4.3.1
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-4.3.1}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "tus-js-client@$VERSION" >/dev/null && tar -xzf tus-js-client-"$VERSION".tgz)
mkdir -p static/vendor/tus
cp "$WORK/package/dist/tus.min.js" static/vendor/tus/tus.min.js
# Its source map too: the file names it, and collectstatic's manifest storage refuses a missing reference.
cp "$WORK/package/dist/tus.min.js.map" static/vendor/tus/tus.min.js.map
cp "$WORK/package/LICENSE" static/vendor/tus/LICENSE
echo "static/vendor/tus: tus-js-client $VERSION ($(wc -c < static/vendor/tus/tus.min.js) bytes)"
