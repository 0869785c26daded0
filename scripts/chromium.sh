#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests (playwright-core drives /usr/bin/chromium);
# a no-op when it is already there. Needs root (CI and the dev machines run as root) or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
