#!/usr/bin/env bash
# Builds libopae-c (the NativeAOT build of OpaeSharp with OPAE's C ABI) and installs it for C users:
#   PREFIX/LIBDIR/libopae-c.so.2.0.0, libopae-c.so.2 (the SONAME), libopae-c.so
#   PREFIX/include/opae/*.h
#   PREFIX/LIBDIR/pkgconfig/opae-c.pc            pkg-config --cflags --libs opae-c (no rpath)
#   PREFIX/LIBDIR/cmake/opae/opae-config.cmake   find_package(opae CONFIG) -> target opae::opae-c
#   PREFIX/bin/opae                              with --with-cli: the opae command, NativeAOT
# Programs then build with `cc prog.c $(pkg-config --cflags --libs opae-c)`; outside the loader's
# default directories they run with LD_LIBRARY_PATH=PREFIX/LIBDIR (or link with an rpath).
#
# usage: eng/install-native.sh --prefix DIR [--libdir lib] [--destdir DIR] [--relocatable]
#                              [--with-cli] [--artifacts-path DIR] [--configuration Release|Debug]
#   --libdir DIR      library directory under PREFIX (default lib; Debian: lib/x86_64-linux-gnu)
#   --destdir DIR     stage the files under DIR/PREFIX instead of PREFIX (for packages)
#   --relocatable     opae-c.pc finds the prefix from its own location (a tarball unpacked anywhere);
#                     the CMake package always does
# Re-running reuses the previous build when nothing changed (dotnet publish is incremental).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix="" libdir=lib destdir="" relocatable=0 with_cli=0
artifacts="$root/artifacts/native"
configuration=Release
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#*=}; shift ;;
        --libdir) libdir=$2; shift 2 ;;
        --libdir=*) libdir=${1#*=}; shift ;;
        --destdir) destdir=$2; shift 2 ;;
        --destdir=*) destdir=${1#*=}; shift ;;
        --relocatable) relocatable=1; shift ;;
        --with-cli) with_cli=1; shift ;;
        --artifacts-path) artifacts=$2; shift 2 ;;
        --artifacts-path=*) artifacts=${1#*=}; shift ;;
        --configuration|-c) configuration=$2; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "install-native.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$prefix" ] || { echo "install-native.sh: --prefix DIR is required" >&2; exit 2; }
libdir=${libdir%/}
case "$libdir" in /*|*..*|"") echo "install-native.sh: --libdir is a relative path under the prefix, such as lib" >&2; exit 2 ;; esac
if [ -z "$destdir" ]; then
    mkdir -p "$prefix"
    prefix=$(cd "$prefix" && pwd)
else
    case "$prefix" in /*) ;; *) echo "install-native.sh: with --destdir, --prefix is an absolute path" >&2; exit 2 ;; esac
    prefix=${prefix%/}
    mkdir -p "$destdir"
    destdir=$(cd "$destdir" && pwd)
fi
stage="$destdir$prefix"

case "$(uname -m)" in
    x86_64) rid=linux-x64 ;;
    aarch64) rid=linux-arm64 ;;
    *) echo "install-native.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
# The abbreviated commit, as OPAE reports its own: OPAE's C++ core reads it into a 32-byte buffer.
build=$(git -C "$root" log -1 --format=%h 2>/dev/null || echo unknown)

# The versions come from Directory.Build.props: OpaeApiVersion is the OPAE C API generation
# (file name, SONAME, pkg-config and CMake version), Version is OpaeSharp's own.
versions=$(dotnet msbuild "$root/src/OpaeSharp.Native/OpaeSharp.Native.csproj" -nologo \
    -getProperty:OpaeApiVersion -getProperty:Version -getProperty:OpaeSoName)
property() { echo "$versions" | sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p"; }
version=$(property OpaeApiVersion) product_version=$(property Version) soname=$(property OpaeSoName)
[ -n "$version" ] && [ -n "$product_version" ] && [ -n "$soname" ] \
    || { echo "install-native.sh: could not read the versions from the project: $versions" >&2; exit 1; }

config_lower=$(echo "$configuration" | tr '[:upper:]' '[:lower:]')
publish() { # project, then extra arguments
    dotnet publish "$root/src/$1/$1.csproj" -c "$configuration" -r "$rid" --artifacts-path "$artifacts" \
        -p:OpaeBuildString="$build" -nologo -v:q -clp:ErrorsOnly "${@:2}"
}

echo "== publishing libopae-c ($configuration, $rid)"
publish OpaeSharp.Native
built="$artifacts/publish/OpaeSharp.Native/${config_lower}_${rid}/OpaeSharp.Native.so"
[ -f "$built" ] || { echo "install-native.sh: publish produced no $built" >&2; exit 1; }

if [ "$with_cli" -eq 1 ]; then
    echo "== publishing the opae command (NativeAOT, $rid)"
    publish OpaeSharp.Cli     # NativeAOT when published for a runtime (OpaeSharp.Cli.csproj)
    cli="$artifacts/publish/OpaeSharp.Cli/${config_lower}_${rid}/opae"
    [ -f "$cli" ] || { echo "install-native.sh: publish produced no $cli" >&2; exit 1; }
fi

echo "== installing into $stage"
lib="$stage/$libdir"
install -d "$lib/pkgconfig" "$lib/cmake/opae" "$stage/include/opae"
install -m 0755 "$built" "$lib/libopae-c.so.$version"
ln -sfn "libopae-c.so.$version" "$lib/$soname"
ln -sfn "$soname" "$lib/libopae-c.so"
install -m 0644 "$root"/src/OpaeSharp.Native/include/opae/*.h "$stage/include/opae/"
if [ "$with_cli" -eq 1 ]; then
    install -d "$stage/bin"
    install -m 0755 "$cli" "$stage/bin/opae"
fi

# "../.." per level from LIBDIR/pkgconfig (or LIBDIR/cmake/opae) back up to the prefix.
up() { local n; n=$(echo "$1" | tr '/' '\n' | grep -c .); printf '../%.0s' $(seq "$n") | sed 's|/$||'; }
pc_prefix=$prefix
[ "$relocatable" -eq 0 ] || pc_prefix="\${pcfiledir}/$(up "$libdir/pkgconfig")"
cat > "$lib/pkgconfig/opae-c.pc" <<PC
prefix=$pc_prefix
libdir=\${prefix}/$libdir
includedir=\${prefix}/include
opaesharp_version=$product_version

Name: opae-c
Description: OPAE C API on OpaeSharp: shared buffers, MMIO, enumeration (simulated accelerator built in)
URL: https://github.com/opaesharp/opaesharp
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lopae-c
PC

cat > "$lib/cmake/opae/opae-config.cmake" <<CMAKE
# The OPAE C API as OpaeSharp's libopae-c implements it (OPAE $version, OpaeSharp $product_version).
#   find_package(opae CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE opae::opae-c)
# The prefix is found from this file's location, so the tree can be moved.
get_filename_component(_opae_prefix "\${CMAKE_CURRENT_LIST_DIR}/$(up "$libdir/cmake/opae")" ABSOLUTE)
if(NOT TARGET opae::opae-c)
    add_library(opae::opae-c SHARED IMPORTED)
    set_target_properties(opae::opae-c PROPERTIES
        IMPORTED_LOCATION "\${_opae_prefix}/$libdir/libopae-c.so.$version"
        IMPORTED_SONAME "$soname"
        INTERFACE_INCLUDE_DIRECTORIES "\${_opae_prefix}/include")
endif()
set(opae_OPAESHARP_VERSION "$product_version")
unset(_opae_prefix)
CMAKE

cat > "$lib/cmake/opae/opae-config-version.cmake" <<CMAKE
# find_package(opae 2.0 CONFIG): any $version-compatible request (same major, not newer) matches.
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION AND PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
    set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif(PACKAGE_FIND_VERSION AND NOT PACKAGE_FIND_VERSION_MAJOR STREQUAL "${version%%.*}")
    set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
    if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
        set(PACKAGE_VERSION_EXACT TRUE)
    endif()
endif()
# A 64-bit library: a 32-bit build cannot use it.
if(CMAKE_SIZEOF_VOID_P AND NOT CMAKE_SIZEOF_VOID_P STREQUAL "8")
    set(PACKAGE_VERSION "\${PACKAGE_VERSION} (64bit)")
    set(PACKAGE_VERSION_UNSUITABLE TRUE)
endif()
CMAKE

echo "installed libopae-c $version (OpaeSharp $product_version, $build) into $stage"
