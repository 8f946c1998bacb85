#!/bin/sh
# The default configuration opens no network socket: run the window test that
# draws the map (it fails unless the basemap tiles are drawn) under strace, and
# fail on any connect() to an IPv4 or IPv6 address.
set -eu
test_window=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! command -v strace >/dev/null 2>&1; then
  echo "strace is not installed"
  exit 77
fi

strace -f -qq -e trace=connect -o "$log" "$test_window" -p /window/map-draws-and-changes
if grep -E 'AF_INET6?' "$log"; then
  echo "FAIL: the application opened network connections (above)"
  exit 1
fi
echo "no network connection; $(grep -c connect "$log" || true) local connects (X11, D-Bus)"
