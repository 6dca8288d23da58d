#!/usr/bin/env bash
# Runs every test of AgentConsole: engine unit, bunit component, HTTP and browser (Playwright + Chromium).
# Installs what the tests need when it is missing, so it works on a fresh Debian machine with the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
# The e-mail and calendar tests deliver into a real SMTP server (aiosmtpd) run by Debian's python3 (not a pyenv/venv one).
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing+=(python3-aiosmtpd)
# The e-mail and database-record trigger tests poll a real dovecot IMAP server and a real PostgreSQL, which the test
# fixtures start themselves on free loopback ports (no system services needed).
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

results="$(pwd)/TestResults"
rm -rf "$results"
status=0
dotnet test AgentConsole.sln --configuration Release \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" || status=$?

# One plain summary line for people and CI logs.
if compgen -G "$results/*.trx" > /dev/null; then
  passed=$(grep -ho 'passed="[0-9]*"' "$results"/*.trx | head -1 | tr -dc 0-9)
  failed=$(grep -ho 'failed="[0-9]*"' "$results"/*.trx | head -1 | tr -dc 0-9)
  echo "Tests: ${passed:-0} passed, ${failed:-0} failed"
  # Name every failed test with the start of its message, so the tail of a CI log says what broke.
  if [ "${failed:-0}" != "0" ]; then
    /usr/bin/python3 - "$results"/*.trx <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    for r in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") != "Failed":
            continue
        message = r.findtext(".//t:Message", default="", namespaces=ns).strip()
        trace = r.findtext(".//t:StackTrace", default="", namespaces=ns).strip()
        print(f"FAILED {r.get('testName')} ({r.get('duration')})")
        print("  " + message[:2000].replace("\n", "\n  "))
        print("  " + "\n  ".join(trace.splitlines()[:8]))
PY
  fi
fi
shots=$(find AgentConsole.Tests/bin -path '*screenshots*' -name '*.png' 2>/dev/null | wc -l)
[ "$shots" -gt 0 ] && echo "Screenshots: $shots under AgentConsole.Tests/bin/Release/net10.0/screenshots"
exit $status
