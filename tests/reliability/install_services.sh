#!/usr/bin/env bash
# Installs PostgreSQL and Redis from Debian's packages when missing (idempotent:
# nothing is fetched when both are present). Used by `make test-scale`.
set -euo pipefail
have_postgres() { ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; }
have_redis() { command -v redis-server >/dev/null 2>&1; }
missing=()
have_postgres || missing+=(postgresql)
have_redis || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing ${missing[*]} from Debian's packages..."
# Packages only: do not start the system services (we run our own on loopback).
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO env RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if have_redis; then :; else echo "redis-server still missing" >&2; exit 1; fi
