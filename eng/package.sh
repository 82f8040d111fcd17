#!/usr/bin/env bash
# Builds every release artefact of OpaeSharp into one directory:
#   OpaeSharp.VERSION.nupkg, OpaeSharp.VERSION.snupkg   the library and its symbols (SourceLink)
#   OpaeSharp.Cli.VERSION.nupkg                         the opae command as a dotnet tool
#   opaesharp-VERSION-linux-ARCH.tar.gz                 libopae-c.so.2, headers, opae-c.pc, CMake
#                                                       package, bin/opae; relocatable, no .NET needed
#   opaesharp_DEBVERSION_DEBARCH.deb                    the same for /usr, built with dpkg-deb
#   SHA256SUMS
# Builds are deterministic (ContinuousIntegrationBuild): no paths of the build machine end up in
# the PDBs, which map every source file to the repository URL at the commit being built.
#
# usage: eng/package.sh --out DIR [--artifacts-path DIR] [--version-suffix SUFFIX]
#   --artifacts-path DIR   build cache (default artifacts/package)
#   --version-suffix S     pre-release: 0.1.0-S for NuGet and the tarball, 0.1.0~S for Debian
# Needs the .NET 10 SDK, build-essential and dpkg-dev (eng/install-deps.sh installs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="" artifacts="$root/artifacts/package" suffix=""
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out=$2; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        --artifacts-path) artifacts=$2; shift 2 ;;
        --artifacts-path=*) artifacts=${1#*=}; shift ;;
        --version-suffix) suffix=$2; shift 2 ;;
        --version-suffix=*) suffix=${1#*=}; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "package.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] || { echo "package.sh: --out DIR is required" >&2; exit 2; }
for tool in dotnet dpkg-deb dpkg-shlibdeps dpkg-architecture cc; do
    command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (eng/install-deps.sh installs it)" >&2; exit 1; }
done
mkdir -p "$out" "$artifacts"
out=$(cd "$out" && pwd)
artifacts=$(cd "$artifacts" && pwd)

# MSBuild reads these from the environment, so eng/install-native.sh's builds see them too.
export ContinuousIntegrationBuild=true
[ -z "$suffix" ] || export VersionSuffix="$suffix"
msbuild_args=(-c Release -nologo -v:q -clp:ErrorsOnly)
version=$(dotnet msbuild "$root/src/OpaeSharp/OpaeSharp.csproj" -nologo -getProperty:Version)
deb_version=${version//-/\~}
deb_arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
case "$deb_arch" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "package.sh: unsupported architecture $deb_arch" >&2; exit 1 ;; esac
# Commit time, so that archives of one commit are the same bytes wherever they are built.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}
echo "== OpaeSharp $version ($rid) into $out"

# 1. NuGet: the library (+ symbols) and the tool.
echo "== NuGet packages"
for project in OpaeSharp OpaeSharp.Cli; do
    dotnet pack "$root/src/$project/$project.csproj" "${msbuild_args[@]}" --artifacts-path "$artifacts/dotnet" -o "$out"
done

# 2. The native tree, once for the tarball (relocatable, lib/) and once for Debian (/usr, multiarch).
native_args=(--artifacts-path "$artifacts/native" --with-cli)
stage="$artifacts/stage"
rm -rf "$stage"
name="opaesharp-$version-$rid"
echo "== native tree for the tarball"
"$root/eng/install-native.sh" --prefix "/$name" --destdir "$stage/tar" --relocatable "${native_args[@]}" >/dev/null
doc="$stage/tar/$name/share/doc/opaesharp"
install -d "$doc"
install -m 0644 "$root/LICENSE" "$root/README.md" "$root/CHANGELOG.md" "$root/docs/c-api.md" "$doc/"

echo "== native tree for the Debian package"
deb="$stage/deb"
"$root/eng/install-native.sh" --prefix /usr --libdir "lib/$multiarch" --destdir "$deb" "${native_args[@]}" >/dev/null

# 3. The tarball: root-owned, sorted, dated at the commit.
tarball="$out/$name.tar.gz"
tar -C "$stage/tar" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -cf - "$name" | gzip -n -9 >"$tarball"

# 4. The Debian package.
echo "== Debian package"
debdoc="$deb/usr/share/doc/opaesharp"
install -d "$debdoc" "$deb/DEBIAN"
{
    echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: OpaeSharp"
    echo "Source: https://github.com/opaesharp/opaesharp"
    echo
    echo "Files: *"
    echo "Copyright: $(sed -n 's/^Copyright (c) //p' "$root/LICENSE")"
    echo "License: MIT"
    sed -n '/^Permission/,$p' "$root/LICENSE" | sed 's/^$/./; s/^/ /'
} >"$debdoc/copyright"
gzip -n -9 -c "$root/CHANGELOG.md" >"$debdoc/changelog.gz"
install -m 0644 "$root/README.md" "$debdoc/README.md"

# Run-time dependencies from the ELF files themselves (libc only, for NativeAOT output).
shlibdeps_dir=$(mktemp -d)
trap 'rm -rf "$shlibdeps_dir"' EXIT
mkdir -p "$shlibdeps_dir/debian"
printf 'Source: opaesharp\n\nPackage: opaesharp\nArchitecture: any\n' >"$shlibdeps_dir/debian/control"
depends=$(cd "$shlibdeps_dir" && dpkg-shlibdeps -O "$deb/usr/lib/$multiarch/libopae-c.so.2" "$deb/usr/bin/opae" 2>/dev/null \
    | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

installed_size=$(du -sk --exclude=DEBIAN "$deb" | cut -f1)
cat >"$deb/DEBIAN/control" <<CONTROL
Package: opaesharp
Version: $deb_version
Architecture: $deb_arch
Maintainer: The OpaeSharp authors <opaesharp@users.noreply.github.com>
Installed-Size: $installed_size
Depends: $depends
Provides: libopae-c2
Conflicts: opae-libs, opae-devel
Section: libdevel
Priority: optional
Homepage: https://github.com/opaesharp/opaesharp
Description: OPAE C API (libopae-c.so.2) and the opae command, from OpaeSharp
 OpaeSharp rebuilds OPAE's shared-buffer system (fpgaPrepareBuffer,
 fpgaGetIOAddress, fpgaReleaseBuffer, with enumeration, open, MMIO and reset)
 in C#; this package is its NativeAOT build: a drop-in libopae-c.so.2 for
 unmodified OPAE C programs, needing no .NET at run time, with an embedded
 simulated accelerator. Includes the headers, opae-c.pc, the CMake package
 (find_package(opae CONFIG), target opae::opae-c) and the opae command.
 .
 It replaces the library of OPAE's own opae-libs/opae-devel packages, so
 it conflicts with them.
CONTROL
# Programs linked against libopae-c.so.2 depend on the ABI (libopae-c2), which this package provides.
echo "libopae-c 2 libopae-c2" >"$deb/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$deb/DEBIAN/triggers"
(cd "$deb" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$deb/DEBIAN/md5sums"
chmod 0644 "$deb/DEBIAN/"*
find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
debfile="$out/opaesharp_${deb_version}_${deb_arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$deb" "$debfile" >/dev/null

(cd "$out" && sha256sum -- *.nupkg *.snupkg "$(basename "$tarball")" "$(basename "$debfile")" >SHA256SUMS)
echo "== done"
(cd "$out" && ls -l -- *.nupkg *.snupkg "$(basename "$tarball")" "$(basename "$debfile")" | awk '{ printf "  %10d  %s\n", $5, $9 }')
