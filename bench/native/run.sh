#!/usr/bin/env bash
# Builds libopae-c into a private prefix, builds the C benchmarks against it, and runs them:
#   ioaddress_bench: fpgaGetIOAddress through the C ABI at 10, 10,000 and 100,000 live buffers, 1 and 2 threads;
#   prepare_bench:   fpgaPrepareBuffer+fpgaReleaseBuffer at 4 KiB and 2 MiB against the bare syscalls
#                    doing the same work (mmap, madvise, mlock, munmap) in the same process.
#   bench/native/run.sh [--prefix DIR]       (default prefix: a directory under $TMPDIR)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
prefix=${TMPDIR:-/tmp}/opaesharp-bench-native
if [ "${1:-}" = "--prefix" ]; then prefix=$2; fi
"$root/eng/install-native.sh" --prefix "$prefix" --artifacts-path "$prefix/artifacts" >&2
flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs opae-c)
cc -O2 -std=c11 -Wall -Wextra -Werror -o "$prefix/ioaddress_bench" "$here/ioaddress_bench.c" $flags -lpthread
cc -O2 -std=c11 -Wall -Wextra -Werror -o "$prefix/prepare_bench" "$here/prepare_bench.c" $flags
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OPAESHARP_BACKEND=sim
for threads in 1 2; do
    "$prefix/ioaddress_bench" --threads "$threads" 10 10000 100000
done
"$prefix/prepare_bench" 4096 2097152
