#!/usr/bin/env bash
# Install Debian's Chromium for the dashboard test (tests/python/test_report.py),
# unless it is already there. Playwright drives this system browser: its own
# browser download cannot reach the internet from CI.
# Usage: scripts/install_chromium.sh   (needs root or sudo; apt-get)
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "install_chromium: no apt-get here; install Chromium so that /usr/bin/chromium exists" >&2
    exit 1
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi
echo "install_chromium: installing Debian's chromium (once)..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version >&2
