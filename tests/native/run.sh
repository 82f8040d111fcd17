#!/usr/bin/env bash
# C tests of libopae-c: installs the library into a temporary prefix (eng/install-native.sh),
# builds tests/native against it with CMake, runs CTest, and ends with the totals line
# "N passed, N failed, N skipped" that eng/test.sh reads.
#
# The NativeAOT build is cached in $OPAESHARP_NATIVE_ARTIFACTS (default: artifacts/native in the
# repository), so a second run only relinks what changed.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
artifacts=${OPAESHARP_NATIVE_ARTIFACTS:-$root/artifacts/native}
work=$(mktemp -d "${TMPDIR:-/tmp}/opae-native-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT

totals() { echo "$1 passed, $2 failed, $3 skipped"; }

if ! "$root/eng/install-native.sh" --prefix "$work/prefix" --artifacts-path "$artifacts"; then
    echo "tests/native: building or installing libopae-c failed"
    totals 0 1 0
    exit 1
fi

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
if ! cmake -S "$root/tests/native" -B "$work/build" -DCMAKE_BUILD_TYPE=Debug >"$work/configure.log" 2>&1 \
    || ! cmake --build "$work/build" -j "$(nproc)" >"$work/build.log" 2>&1; then
    cat "$work/configure.log" "$work/build.log" 2>/dev/null | tail -n 60
    echo "tests/native: configuring or building the tests failed"
    totals 0 1 0
    exit 1
fi

ctest --test-dir "$work/build" --output-on-failure --timeout 120 -j 2 \
    --output-junit "$work/results.xml" "$@"
rc=$?

if [ ! -f "$work/results.xml" ]; then
    echo "tests/native: CTest wrote no results"
    totals 0 1 0
    exit 1
fi
# <testsuite ... tests="N" failures="F" ... skipped="S" ...>, its attributes on several lines.
suite=$(tr '\n\t' '  ' <"$work/results.xml" | grep -o '<testsuite [^>]*>' | head -n1)
attr() { echo "$suite" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
tests=$(attr tests) failures=$(attr failures) errors=$(attr errors) skipped=$(attr skipped)
failed=$((failures + errors))
passed=$((tests - failed - skipped))
[ "$failed" -eq 0 ] || rc=1
totals "$passed" "$failed" "$skipped"
exit $rc
