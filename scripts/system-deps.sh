#!/usr/bin/env bash
# Debian/Ubuntu packages the portal and its tests need. Installs them when run
# as root; otherwise names the missing ones and the command to install them.
#   scripts/system-deps.sh run    packages needed to serve the portal
#   scripts/system-deps.sh test   plus what the tests need (PDF/QR tools, Chromium, Java for the
#                                 Nu HTML Checker, whose vnu.jar comes from npm into var/vnu/)
#   scripts/system-deps.sh bench  plus the load generator of `make bench` (wrk)
#   scripts/system-deps.sh stack  the run set plus nginx (make stack)
set -eu
mode="${1:-run}"
run_pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei gettext"
test_pkgs="$run_pkgs poppler-utils zbar-tools chromium libatomic1 default-jre-headless"
pkgs="$run_pkgs"
[ "$mode" = "test" ] && pkgs="$test_pkgs"
[ "$mode" = "bench" ] && pkgs="$test_pkgs wrk"
[ "$mode" = "stack" ] && pkgs="$run_pkgs nginx-light"

# The Nu HTML Checker (tests/portal/test_markup.py): the jar of the npm package vnu-jar, kept in var/vnu/.
VNU_VERSION=26.9.27
vnu_dir="$(cd "$(dirname "$0")/.." && pwd)/var/vnu"
if [ "$mode" = "test" ] || [ "$mode" = "bench" ]; then
  if [ ! -s "$vnu_dir/vnu.jar" ] && command -v npm >/dev/null 2>&1; then
    tmp="$(mktemp -d)"
    if (cd "$tmp" && npm pack --silent "vnu-jar@$VNU_VERSION" >/dev/null 2>&1 && tar -xzf vnu-jar-*.tgz package/build/dist/vnu.jar); then
      mkdir -p "$vnu_dir" && mv "$tmp/package/build/dist/vnu.jar" "$vnu_dir/vnu.jar"
    else
      echo "system-deps: npm could not fetch vnu-jar@$VNU_VERSION (the markup test needs it)" >&2
    fi
    rm -rf "$tmp"
  fi
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian/Ubuntu system; make sure these are installed: $pkgs" >&2
  exit 0
fi
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "system-deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  exit 0
fi
if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  exit 0
fi
cat >&2 <<MSG
============================================================
缺少系统软件包 / Missing Debian packages:$missing
请以 root 身份运行 / Please run as root:
    sudo apt-get install$missing
(WeasyPrint needs Pango, PDFs need a CJK font, tests need poppler-utils,
 zbar-tools and Debian's chromium.)
============================================================
MSG
exit 1
