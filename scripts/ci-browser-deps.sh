#!/usr/bin/env bash
# CI: the system browser for tests/reports/test_ui_browser.py, and fonts so that chart labels in
# Chinese, Japanese, Korean, Cyrillic or Vietnamese render as glyphs, not boxes, in PNG reports.
# Idempotent and quiet: installs only what is missing; needs root (or sudo).
set -euo pipefail

packages=(chromium fonts-noto-core fonts-noto-cjk fonts-dejavu-core)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "ci-browser-deps: already installed: ${packages[*]}"
else
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo_cmd=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    echo "ci-browser-deps: installing ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

chromium --version 2>/dev/null  # the Debian wrapper script chatters on stderr
