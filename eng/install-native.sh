#!/usr/bin/env bash
# Builds libopae-c (the NativeAOT build of OpaeSharp with OPAE's C ABI) and installs it for C users:
#   PREFIX/lib/libopae-c.so.2.0.0, libopae-c.so.2 (the SONAME), libopae-c.so
#   PREFIX/include/opae/*.h
#   PREFIX/lib/pkgconfig/opae-c.pc
# so that `cc prog.c $(pkg-config --cflags --libs opae-c)` builds and runs against it
# (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig for a prefix pkg-config does not search).
#
# usage: eng/install-native.sh --prefix DIR [--artifacts-path DIR] [--configuration Release|Debug]
# Re-running reuses the previous build when nothing changed (dotnet publish is incremental).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=""
artifacts="$root/artifacts/native"
configuration=Release
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#*=}; shift ;;
        --artifacts-path) artifacts=$2; shift 2 ;;
        --artifacts-path=*) artifacts=${1#*=}; shift ;;
        --configuration|-c) configuration=$2; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "install-native.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$prefix" ] || { echo "install-native.sh: --prefix DIR is required" >&2; exit 2; }
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

# Keep in step with src/OpaeSharp.Native/Exports/LibraryInfo.cs (what fpgaGetOPAECVersion reports).
version=2.0.0
soname=libopae-c.so.${version%%.*}

case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) echo "install-native.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
# The abbreviated commit, as OPAE reports its own: OPAE's C++ core reads it into a 32-byte buffer.
build=$(git -C "$root" log -1 --format=%h 2>/dev/null || echo unknown)

echo "== publishing libopae-c ($configuration, $rid)"
dotnet publish "$root/src/OpaeSharp.Native/OpaeSharp.Native.csproj" -c "$configuration" -r "$rid" \
    --artifacts-path "$artifacts" -p:OpaeBuildString="$build" -nologo -v:q -clp:ErrorsOnly
config_lower=$(echo "$configuration" | tr '[:upper:]' '[:lower:]')
built="$artifacts/publish/OpaeSharp.Native/${config_lower}_${rid}/OpaeSharp.Native.so"
[ -f "$built" ] || { echo "install-native.sh: publish produced no $built" >&2; exit 1; }

echo "== installing into $prefix"
install -d "$prefix/lib/pkgconfig" "$prefix/include/opae"
install -m 0755 "$built" "$prefix/lib/libopae-c.so.$version"
ln -sfn "libopae-c.so.$version" "$prefix/lib/$soname"
ln -sfn "$soname" "$prefix/lib/libopae-c.so"
install -m 0644 "$root"/src/OpaeSharp.Native/include/opae/*.h "$prefix/include/opae/"
cat > "$prefix/lib/pkgconfig/opae-c.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: opae-c
Description: OPAE C API on OpaeSharp: shared buffers, MMIO, enumeration (simulated accelerator built in)
URL: https://github.com/OPAE/opae-sdk
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lopae-c
PC
echo "installed libopae-c $version ($build) into $prefix"
