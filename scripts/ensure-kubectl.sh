#!/usr/bin/env bash
# Makes sure a kubectl is on PATH for the compatibility tests. Uses the one installed if any;
# otherwise unpacks Debian's kubernetes-client (1.20) into .tools/ without installing it, since
# installing it conflicts with an existing kubectl package (see the notes on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v kubectl >/dev/null 2>&1; then
  exit 0
fi
if [ -x .tools/kubectl/usr/bin/kubectl ]; then
  exit 0
fi
echo "kubectl not found: unpacking Debian's kubernetes-client into .tools/kubectl" >&2
mkdir -p .tools/kubectl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && apt-get download -qq kubernetes-client 2>/dev/null); then
  apt-get update -qq
  (cd "$tmp" && apt-get download -qq kubernetes-client)
fi
dpkg-deb -x "$tmp"/kubernetes-client_*.deb .tools/kubectl
.tools/kubectl/usr/bin/kubectl version --client >&2 || true
