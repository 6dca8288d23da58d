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

# The test matrix: the engine's integration tests again on PostgreSQL (AGENTCONSOLE_TEST_PROVIDER=Postgres makes
# TestDatabase, RunHost and the HTTP host use a server the fixtures start from Debian's binaries). Browser and bunit
# component tests exercise the UI, not the storage, and stay in the first pass.
# The decision-table language, analysis and TCK tests never open a database: they ran once above.
postgres_filter="FullyQualifiedName!~AgentConsole.Tests.Browser&FullyQualifiedName!~AgentConsole.Tests.Components"
for pure in DecisionTables.Analysis DecisionTables.Fuzzing DecisionTables.TckConformanceTests DecisionTables.TckTests \
  DecisionTables.DmnRoundTripTests DecisionTables.FeelLanguageTests DecisionTables.FeelParserTests DecisionTables.DmnXmlTests \
  DecisionTables.DmnXmlModelTests DecisionTables.ItemTypesTests DecisionTables.RuleIndexTests DecisionTables.DirectEvaluationTests \
  DecisionTables.DecisionTableEvaluationTests; do
  postgres_filter="$postgres_filter&FullyQualifiedName!~AgentConsole.Tests.$pure"
done
postgres_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    # A filter given to this script narrows the PostgreSQL pass too.
    --filter) postgres_filter="($postgres_filter)&($2)"; shift 2 ;;
    --no-build) shift ;;
    *) postgres_args+=("$1"); shift ;;
  esac
done
postgres_start=$(date +%s)
AGENTCONSOLE_TEST_PROVIDER=Postgres dotnet test AgentConsole.Tests --configuration Release --no-build \
  --filter "$postgres_filter" \
  --logger "trx;LogFileName=results-postgres.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results/postgres" "${postgres_args[@]}" || status=$?
postgres_seconds=$(( $(date +%s) - postgres_start ))

# One plain summary line for people and CI logs, a count per provider.
count() { grep -ho "$1=\"[0-9]*\"" "$2" 2>/dev/null | head -1 | tr -dc 0-9; }
summary=()
failed_trx=()
for pass in "SQLite:$results/results.trx" "PostgreSQL:$results/postgres/results-postgres.trx"; do
  name=${pass%%:*}
  trx=${pass#*:}
  if [ -f "$trx" ]; then
    passed=$(count passed "$trx")
    failed=$(count failed "$trx")
    summary+=("${passed:-0} passed, ${failed:-0} failed ($name)")
    if [ "${failed:-0}" != "0" ]; then failed_trx+=("$trx"); fi
  else
    summary+=("no results ($name)")
  fi
done
echo "Tests: ${summary[0]} · ${summary[1]}"
echo "PostgreSQL pass: ${postgres_seconds} s"
# Name every failed test with the start of its message, so the tail of a CI log says what broke.
if [ ${#failed_trx[@]} -gt 0 ]; then
  /usr/bin/python3 - "${failed_trx[@]}" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in sys.argv[1:]:
    provider = "PostgreSQL" if path.endswith("-postgres.trx") else "SQLite"
    for r in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        if r.get("outcome") != "Failed":
            continue
        message = r.findtext(".//t:Message", default="", namespaces=ns).strip()
        trace = r.findtext(".//t:StackTrace", default="", namespaces=ns).strip()
        print(f"FAILED [{provider}] {r.get('testName')} ({r.get('duration')})")
        print("  " + message[:2000].replace("\n", "\n  "))
        print("  " + "\n  ".join(trace.splitlines()[:8]))
PY
fi
shots=$(find AgentConsole.Tests/bin -path '*screenshots*' -name '*.png' 2>/dev/null | wc -l)
[ "$shots" -gt 0 ] && echo "Screenshots: $shots under AgentConsole.Tests/bin/Release/net10.0/screenshots"
exit $status
