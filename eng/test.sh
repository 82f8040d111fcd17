#!/usr/bin/env bash
# Runs every test suite of the repository and ends with one line: "N passed, N failed, N skipped".
#   1. .NET tests (xunit, tests/OpaeSharp.Tests)
#   2. C tests against the installed libopae-c.so (tests/native, ctest), when present
#   3. the release packages (tests/packaging): NuGet, the .deb in a clean Debian 12 root, the tarball
#   4. the emulated-machine VFIO test (tests/vm), when present
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
passed=0 failed=0 skipped=0 status=0

# The C and emulated-machine suites need Debian packages; install what is missing (a no-op when all
# are there), so this one command works on a fresh machine.
if ! "$root/eng/install-deps.sh"; then
    echo "warning: eng/install-deps.sh could not install the Debian packages; suites that need them will say so"
fi

add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

# 1. .NET: TRX results carry the counts.
echo "== .NET tests"
if ! dotnet test OpaeSharp.slnx -c Release --logger "trx" --results-directory "$results/trx" 2>&1 | tee "$results/dotnet.log"; then
    status=1
fi
for trx in "$results"/trx/*.trx; do
    [ -e "$trx" ] || { echo "no .NET test results were written"; status=1; break; }
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
    get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    add "$(get passed)" "$(get failed)" "$(( $(get total) - $(get passed) - $(get failed) ))"
done

# 2. to 4. are suites with their own runner scripts; each prints "N passed, N failed, N skipped" last.
for suite in tests/native/run.sh tests/packaging/run.sh tests/vm/run.sh; do
    [ -x "$suite" ] || continue
    echo "== $suite"
    "$suite" 2>&1 | tee "$results/suite.log"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$results/suite.log" | tail -n1)
    if [ -z "$line" ]; then
        echo "$suite printed no totals (exit $rc)"; add 0 1 0; status=1; continue
    fi
    read -r p _ f _ s _ <<<"${line//,/}"
    add "$p" "$f" "$s"
    [ "$rc" -eq 0 ] || status=1
done

[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
