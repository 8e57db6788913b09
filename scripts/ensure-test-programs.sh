#!/bin/sh
# Installs the Debian programs the tests run for real (scripts/test-programs.txt) when they are
# missing: `npm test` runs it first (pretest), so the README's two commands pass on a machine with
# only Node and npm. Needs root or password-less sudo to install; says what it installs.
#   --dry-run   only print what is missing and the install command (exit 0)
# Exit 1 when a program is missing and cannot be installed (the message says how to install it).
set -u
# Shell built-ins only up to the install step, so that the detection runs on a bare PATH (tested).
case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
list="$here/test-programs.txt"
dry_run=0
[ "${1:-}" = "--dry-run" ] && dry_run=1

missing=""
while read -r programs package use; do
  case "$programs" in '#'* | '') continue ;; esac
  [ "$use" = "test" ] || continue
  found=0
  old_ifs=$IFS
  IFS='|'
  for p in $programs; do
    if command -v "$p" >/dev/null 2>&1; then found=1; break; fi
  done
  IFS=$old_ifs
  if [ "$found" = 0 ]; then
    case " $missing " in *" $package "*) ;; *) missing="${missing:+$missing }$package" ;; esac
  fi
done < "$list"

[ -z "$missing" ] && exit 0

echo "test programs: missing Debian packages: $missing"
if [ "$dry_run" = 1 ]; then
  echo "test programs: would run: apt-get install -y --no-install-recommends $missing"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test programs: no apt-get here; install $missing with your package manager (the tests that need them fail until then)"
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "test programs: run as root (or with password-less sudo): apt-get install -y $missing"
  exit 1
fi
echo "test programs: installing $missing (${sudo:-as root}: apt-get update, apt-get install)"
$sudo apt-get update -qq || { echo "test programs: apt-get update failed"; exit 1; }
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null || { echo "test programs: apt-get install $missing failed"; exit 1; }
echo "test programs: installed $missing"
