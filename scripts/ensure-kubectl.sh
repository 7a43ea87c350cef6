#!/usr/bin/env bash
# Makes the kubectls for the compatibility tests available. Always unpacks Debian's
# kubernetes-client (kubectl 1.20) into .tools/kubectl-1.20 without installing it (installing it
# conflicts with an existing kubectl package; see the notes on this machine), so the tests can
# run the old client beside the installed one. When no kubectl is on PATH, the same unpacked
# 1.20 is also linked as .tools/kubectl, where the tests look for a fallback.
# Best effort: without network or apt the tests that need 1.20 skip, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."

old=.tools/kubectl-1.20
if [ ! -x "$old/usr/bin/kubectl" ]; then
  echo "unpacking Debian's kubernetes-client (kubectl 1.20) into $old" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download -qq kubernetes-client 2>/dev/null); then
    apt-get update -qq || true
    (cd "$tmp" && apt-get download -qq kubernetes-client) || {
      echo "could not download kubernetes-client: kubectl 1.20 tests will skip" >&2
      exit 0
    }
  fi
  mkdir -p "$old"
  dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$old"
  "$old/usr/bin/kubectl" version --client >&2 || true
fi

if ! command -v kubectl >/dev/null 2>&1 && [ ! -e .tools/kubectl ]; then
  ln -s kubectl-1.20 .tools/kubectl
fi
