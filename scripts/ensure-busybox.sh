#!/usr/bin/env bash
# Makes sure a static /bin/busybox exists for real mode's built-in busybox image and container
# init. Installs Debian's busybox-static when missing; a half-configured earlier install (left by
# an apt transaction that failed on another package) is finished with dpkg --configure.
set -euo pipefail

is_static() {
  [ -x /bin/busybox ] && ! LC_ALL=C ldd /bin/busybox >/dev/null 2>&1
}

if is_static; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-busybox: a static /bin/busybox is missing and installing it needs root" >&2
  exit 1
fi
if dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'unpacked\|half'; then
  echo "ensure-busybox: finishing the half-installed busybox-static" >&2
  dpkg --configure busybox-static
fi
if ! is_static; then
  echo "ensure-busybox: installing busybox-static with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq busybox-static >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq busybox-static
  fi
fi
if ! is_static; then
  echo "ensure-busybox: /bin/busybox is still not a static binary" >&2
  exit 1
fi
