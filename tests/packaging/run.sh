#!/usr/bin/env bash
# Packaging tests: builds every release artefact with eng/package.sh, then checks them the way
# users meet them, and ends with the totals line "N passed, N failed, N skipped" that eng/test.sh
# reads.
#   - NuGet: metadata, public-only XML docs, SourceLink in the symbols package (every linked
#     source maps to the repository URL at this commit, with the checksum git's copy has), a fresh
#     console app outside the repository that consumes the package, `dotnet tool install` of opae.
#   - Debian: the .deb installed with `dpkg --root` into a clean Debian 12 root (debootstrap
#     minbase plus a C toolchain, pkg-config and CMake; no .NET), where tests/native's NLB0 sample
#     is built with pkg-config, with find_package(opae CONFIG) and with pkg_check_modules, and run;
#     the opae command runs there too; then the package is removed.
#   - The tarball, unpacked and moved in another clean root: pkg-config and CMake still find it.
#   - The API reference site (eng/docs.sh).
#
# The Debian root is cached in $OPAESHARP_PACKAGING_CACHE (default artifacts/packaging in the
# repository): the first run downloads it (about a minute), later runs copy it (seconds). The
# mirror is the one this machine's apt uses (OPAESHARP_DEBIAN_MIRROR overrides it).
# Needs root (chroot, mount) and the Debian packages of eng/install-deps.sh.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/packaging"
cache=${OPAESHARP_PACKAGING_CACHE:-$root/artifacts/packaging}
work=$(mktemp -d "${TMPDIR:-/tmp}/opae-packaging-tests.XXXXXX")
# Cases run in subshells, so the mounts they make are listed in a file for the cleanup.
cleanup() {
    if [ -f "$work/mounts" ]; then
        while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done <"$work/mounts"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$cache"

passed=0 failed=0 skipped=0
log="$work/case.log"
# run NAME FUNCTION...: runs one case in a subshell that stops at its first failing command
# (set -e; each check reads `condition || fail "why"`), its output shown only when it fails.
# Pipes into `grep -q` are avoided (grep stops reading, the writer dies of SIGPIPE, pipefail
# fails the pipe): listings are taken into variables first.
run() {
    local name=$1 rc started=$SECONDS; shift
    ( set -e; "$@" ) >"$log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "PASS $name ($((SECONDS - started)) s)"; passed=$((passed + 1))
    else
        echo "FAIL $name ($((SECONDS - started)) s)"; sed 's/^/    /' "$log" | tail -n 40; failed=$((failed + 1))
    fi
}
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }
fail() { echo "$*"; return 1; }
totals() { echo "$passed passed, $failed failed, $skipped skipped"; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$work/out"
commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
version=$(dotnet msbuild "$root/src/OpaeSharp/OpaeSharp.csproj" -nologo -getProperty:Version 2>/dev/null)
api_version=$(dotnet msbuild "$root/src/OpaeSharp/OpaeSharp.csproj" -nologo -getProperty:OpaeApiVersion 2>/dev/null)
deb_arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")
case "$deb_arch" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) rid=unknown ;; esac
deb="$out/opaesharp_${version//-/\~}_${deb_arch}.deb"
tarball="$out/opaesharp-$version-$rid.tar.gz"

# ---------------------------------------------------------------------------------------------
# The artefacts.

build_artefacts() {
    "$root/eng/package.sh" --out "$out" --artifacts-path "$cache/build" || return 1
    for f in "OpaeSharp.$version.nupkg" "OpaeSharp.$version.snupkg" "OpaeSharp.Cli.$version.nupkg" \
        "$(basename "$tarball")" "$(basename "$deb")" SHA256SUMS; do
        [ -s "$out/$f" ] || fail "missing $f"
    done
    (cd "$out" && sha256sum -c SHA256SUMS)
}

nuspec() { unzip -p "$1" '*.nuspec'; }

library_package_metadata() {
    local spec listing symbols docs
    spec=$(nuspec "$out/OpaeSharp.$version.nupkg")
    listing=$(unzip -l "$out/OpaeSharp.$version.nupkg")
    symbols=$(unzip -l "$out/OpaeSharp.$version.snupkg")
    docs=$(unzip -p "$out/OpaeSharp.$version.nupkg" lib/net10.0/OpaeSharp.xml)
    echo "$spec"
    grep -q '<license type="expression">MIT</license>' <<<"$spec" || fail "no MIT license expression"
    grep -q '<readme>README.md</readme>' <<<"$spec" || fail "no readme"
    grep -q '<projectUrl>https://github.com/opaesharp/opaesharp</projectUrl>' <<<"$spec" || fail "no project URL"
    grep -q "<repository type=\"git\" url=\"https://github.com/opaesharp/opaesharp\"[^>]*commit=\"$commit\"" <<<"$spec" || fail "no repository URL and commit"
    grep -q '<tags>[^<]*fpga[^<]*opae' <<<"$spec" || fail "no tags"
    grep -q 'lib/net10.0/OpaeSharp.xml' <<<"$listing" || fail "no XML documentation"
    grep -q 'lib/net10.0/OpaeSharp.pdb' <<<"$listing" && fail "the PDB belongs in the .snupkg"
    grep -q 'lib/net10.0/OpaeSharp.pdb' <<<"$symbols" || fail "no PDB in the symbols package"
    # Internal types carry doc comments in the source; none may reach the package.
    grep -q 'name="T:OpaeSharp.Memory.PageSizePolicy"' <<<"$docs" && fail "internal documentation in the package"
    grep -q 'name="T:OpaeSharp.Accelerator"' <<<"$docs" || fail "public documentation missing from the package"
}

tool_package_is_small() {
    local size listing spec
    size=$(stat -c %s "$out/OpaeSharp.Cli.$version.nupkg")
    listing=$(unzip -l "$out/OpaeSharp.Cli.$version.nupkg")
    echo "$listing"
    echo "tool package: $size bytes"
    [ "$size" -lt $((5 << 20)) ] || fail "the tool package is $size bytes (over 5 MiB)"
    spec=$(nuspec "$out/OpaeSharp.Cli.$version.nupkg")
    grep -q '<packageType name="DotnetTool"' <<<"$spec" || fail "not a dotnet tool"
    grep -q 'tools/net10.0/any/opae.dll' <<<"$listing" || fail "no opae.dll"
    grep -E -q 'runtimes/|Skia|ScottPlot|\.resources\.dll|PublicXmlDocs' <<<"$listing" && fail "platform natives, satellites or build tools in the tool package"
    return 0
}

# The console app the next two cases build: `dotnet new console`, outside the repository, with its
# own package cache so that no earlier build of the same version is reused.
consumer="$work/consumer"
export_consumer_env() {
    export NUGET_PACKAGES="$work/nuget-packages" OPAESHARP_BACKEND=sim
}

consumer_app_uses_the_package() {
    export_consumer_env
    dotnet new console -o "$consumer" -n Consumer --framework net10.0 || return 1
    cat >"$consumer/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="opaesharp-local" value="$out" />
  </packageSources>
</configuration>
CONFIG
    cp "$here/consumer/Program.cs" "$here/consumer/Unguarded.cs" "$consumer/"
    (cd "$consumer" && dotnet add package OpaeSharp --version "$version") || return 1
    (cd "$consumer" && dotnet build -c Release -nologo 2>&1) | tee "$work/consumer-build.log" || return 1
    # The library is Linux-only to the platform analyzer: the unguarded call warns, the guarded ones do not.
    grep -q 'Unguarded.cs.*CA1416' "$work/consumer-build.log" || fail "no CA1416 for a call without a platform check"
    grep -q 'Program.cs.*CA1416' "$work/consumer-build.log" && fail "CA1416 despite OperatingSystem.IsLinux()"
    [ -f "$NUGET_PACKAGES/opaesharp/$version/lib/net10.0/OpaeSharp.xml" ] || fail "no IntelliSense file restored"
    local output
    output=$(cd "$consumer" && dotnet run -c Release --no-build) || fail "the app failed: $output"
    echo "$output"
    grep -q '^prepared 4096 bytes at IO address 0x[0-9a-f]*, first byte 0x5A$' <<<"$output" || fail "unexpected output"
}

sourcelink_maps_sources_to_the_repository() {
    export_consumer_env
    [ -d "$consumer/bin" ] || fail "the consumer app was not built"
    unzip -o -q "$out/OpaeSharp.$version.snupkg" lib/net10.0/OpaeSharp.pdb -d "$work/symbols"
    local map url linked=0 doc rel algorithm hash kind
    map=$(cd "$consumer" && dotnet run -c Release --no-build -- sourcelink "$work/symbols/lib/net10.0/OpaeSharp.pdb") || return 1
    url="https://raw.githubusercontent.com/opaesharp/opaesharp/$commit/*"
    grep -q "^sourcelink {\"documents\":{\"/_/\\*\":\"${url//\*/\\*}\"}}$" <<<"$map" \
        || fail "SourceLink does not map /_/* to $url: $(grep '^sourcelink' <<<"$map")"
    while read -r _ doc algorithm hash kind; do
        # Deterministic build: every document path is under /_/, none is a path of this machine.
        [[ $doc == /_/* ]] || fail "document outside the mapped root: $doc"
        [ "$kind" = linked ] || continue
        rel=${doc#/_/}
        [ "$algorithm" = sha256 ] || fail "$rel: not a SHA-256 checksum"
        # What a debugger downloads from the mapped URL is git's copy at this commit; it must be
        # the text that was compiled (the PDB's checksum).
        [ "$(git -C "$root" show "$commit:$rel" | sha256sum | cut -d' ' -f1)" = "$hash" ] \
            || fail "$rel: the PDB's checksum is not that of $commit:$rel (uncommitted change?)"
        linked=$((linked + 1))
    done < <(grep '^document ' <<<"$map")
    echo "$linked source files map to $url with matching checksums"
    [ "$linked" -ge 20 ] || fail "only $linked linked documents"
}

dotnet_tool_installs_in_seconds() {
    export_consumer_env
    local started elapsed size reported hello
    started=$(date +%s%N)
    dotnet tool install OpaeSharp.Cli --version "$version" --tool-path "$work/tool" --add-source "$out" || return 1
    elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
    size=$(du -sk "$work/tool" | cut -f1)
    echo "dotnet tool install: ${elapsed} ms, ${size} KiB installed"
    [ "$size" -lt 20480 ] || fail "the installed tool takes ${size} KiB (over 20 MiB)"
    [ "$elapsed" -lt 60000 ] || fail "installing took ${elapsed} ms"
    reported=$("$work/tool/opae" --version)
    [[ $reported == "$version"* ]] || fail "opae --version says $reported, not $version"
    hello=$("$work/tool/opae" hello)
    grep -q "Done Running Test: NLB0 loopback passed" <<<"$hello" || fail "opae hello failed: $hello"
}

deb_metadata() {
    local info contents triggers
    info=$(dpkg-deb -f "$deb")
    contents=$(dpkg-deb -c "$deb")
    triggers=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./triggers)
    echo "$info"
    grep -q "^Package: opaesharp$" <<<"$info" || fail "package name"
    grep -q "^Version: ${version//-/\~}$" <<<"$info" || fail "version is not the product version"
    grep -q "^Architecture: $deb_arch$" <<<"$info" || fail "architecture"
    grep -q "^Depends: libc6 (>= 2\.[0-9]*)$" <<<"$info" || fail "depends on more than libc6"
    grep -q "^Conflicts: opae-libs, opae-devel$" <<<"$info" || fail "conflicts"
    grep -q "^Provides: libopae-c2$" <<<"$info" || fail "provides"
    for path in "usr/lib/$multiarch/libopae-c.so.2.0.0" "usr/lib/$multiarch/libopae-c.so.2 -> libopae-c.so.2.0.0" \
        "usr/lib/$multiarch/libopae-c.so -> libopae-c.so.2" "usr/lib/$multiarch/pkgconfig/opae-c.pc" \
        "usr/lib/$multiarch/cmake/opae/opae-config.cmake" "usr/lib/$multiarch/cmake/opae/opae-config-version.cmake" \
        usr/include/opae/fpga.h usr/bin/opae usr/share/doc/opaesharp/copyright; do
        grep -q "\./$path\$" <<<"$contents" || fail "missing $path"
    done
    grep -v -q ' root/root ' <<<"$contents" && fail "files not owned by root"
    grep -q '^activate-noawait ldconfig$' <<<"$triggers" || fail "no ldconfig trigger"
    return 0
}

# The API reference: docfx (a local dotnet tool) over the library's public API, beside docs/.
reference_docs_build() {
    "$root/eng/docs.sh" --out "$work/site" || return 1
    local page="$work/site/api/OpaeSharp.SharedBuffer.html"
    [ -f "$work/site/index.html" ] || fail "no index.html"
    [ -f "$page" ] || fail "no page for SharedBuffer"
    grep -q 'IoAddress' "$page" || fail "SharedBuffer's page does not document IoAddress"
    [ -f "$work/site/articles/semantics.html" ] || fail "the guides are missing"
    # Only the public API: internal types (documented in the source) get no page.
    [ -e "$work/site/api/OpaeSharp.Memory.PageSizePolicy.html" ] && fail "an internal type has a page"
    compgen -G "$work/site/api/OpaeSharp.Devices.*" >/dev/null && fail "internal namespaces have pages"
    return 0
}

# ---------------------------------------------------------------------------------------------
# Clean Debian 12 roots.

debian_mirror() {
    if [ -n "${OPAESHARP_DEBIAN_MIRROR:-}" ]; then echo "$OPAESHARP_DEBIAN_MIRROR"; return; fi
    # The first main archive (not security) this machine's apt uses: deb822 .sources, then .list lines.
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] && sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' "$f"
    done
} 2>/dev/null
# The mirror's URL, or nothing: an archive named .../debian first, else any that is not security's.
debian_mirror_url() {
    local urls
    urls=$(debian_mirror | grep -v -i security | grep -E '^(https?|file)://' || true)
    { grep -E '/debian/?$' <<<"$urls"; echo "$urls"; } | grep . | head -n1 || true
}

# Toolchain and build tools only: no .NET of any kind.
root_packages=gcc,libc6-dev,make,cmake,pkg-config
pristine="$cache/debian12-root"

make_pristine_root() {
    local stamp="bookworm minbase $root_packages"
    if [ -f "$pristine/.opaesharp-root" ] && [ "$(cat "$pristine/.opaesharp-root")" = "$stamp" ]; then
        echo "reusing $pristine"
        return 0
    fi
    local mirror
    mirror=$(debian_mirror_url)
    [ -n "$mirror" ] || fail "no Debian mirror in this machine's apt sources (set OPAESHARP_DEBIAN_MIRROR)"
    rm -rf "$pristine" "$pristine.tmp"
    debootstrap --variant=minbase --include="$root_packages" bookworm "$pristine.tmp" "$mirror" || return 1
    rm -rf "$pristine.tmp"/var/cache/apt/archives/*.deb "$pristine.tmp"/var/lib/apt/lists/*
    echo "$stamp" >"$pristine.tmp/.opaesharp-root"
    mv "$pristine.tmp" "$pristine"
}

# new_root DIR: a fresh copy of the pristine root with /proc mounted.
new_root() {
    cp -a "$pristine" "$1" || return 1
    mount -t proc proc "$1/proc" || return 1
    echo "$1/proc" >>"$work/mounts"
    mkdir -p "$1/tmp/opaesharp"
    cp "$root/tests/native/samples/nlb0_loopback.c" "$here/cmake/CMakeLists.txt" "$1/tmp/opaesharp/"
}

# in_root DIR SCRIPT: runs SCRIPT with sh -e in the root, with nothing of this machine's environment.
# A check that something is absent reads `if COMMAND; then echo why; exit 1; fi` (sh -e ignores `!`).
in_root() {
    local dir=$1; shift
    chroot "$dir" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 /bin/sh -ec "$*"
}

r1="$work/root-deb"

deb_installs_into_a_clean_root() {
    new_root "$r1" || return 1
    in_root "$r1" '! command -v dotnet && ! ls -d /usr/share/dotnet /usr/lib/dotnet /opt/dotnet 2>/dev/null' \
        || fail "the clean root has .NET"
    dpkg --root="$r1" -i "$deb" || return 1
    [ "$(in_root "$r1" 'dpkg-query -W -f "\${Status}" opaesharp')" = "install ok installed" ] || fail "not installed"
    in_root "$r1" "ldconfig -p | grep -E -q 'libopae-c.so.2 \(.*\) => (/usr)?/lib/$multiarch/libopae-c.so.2\$'" \
        || fail "ldconfig does not know libopae-c.so.2"
}

# The sample built with pkg-config alone, as README shows, then run with no .NET anywhere.
pkg_config_build_runs_without_dotnet() {
    in_root "$r1" '
        cd /tmp/opaesharp
        flags=$(pkg-config --cflags --libs opae-c)
        echo "pkg-config: $flags"
        case "$flags" in *rpath*) echo "opae-c.pc forces an rpath"; exit 1 ;; esac
        [ "$(pkg-config --modversion opae-c)" = '"$api_version"' ]
        [ "$(pkg-config --variable=opaesharp_version opae-c)" = '"$version"' ]
        cc -std=c99 -Wall -Wextra -Werror nlb0_loopback.c $flags -o nlb0_pc
        if readelf -d nlb0_pc | grep -E "RPATH|RUNPATH"; then echo "the program has an rpath"; exit 1; fi
        ldd nlb0_pc | tee ldd.txt
        grep -E -q "libopae-c.so.2 => (/usr)?/lib/'"$multiarch"'/libopae-c.so.2 " ldd.txt
        if grep -E -i "coreclr|hostfxr|hostpolicy|dotnet|libstdc" ldd.txt; then echo "loads .NET"; exit 1; fi
        ./nlb0_pc | tee run.txt
        grep -q "^Loopback OK" run.txt
        ./nlb0_pc --shared | grep -q "^Loopback OK"'
}

cmake_find_package_config() {
    in_root "$r1" '
        cmake -S /tmp/opaesharp -B /tmp/build-config -DOPAE_FIND=config | tee configure.txt
        grep -q "opae '"$api_version"' (OpaeSharp '"$version"') from /usr/lib/'"$multiarch"'/cmake/opae" configure.txt
        cmake --build /tmp/build-config
        if readelf -d /tmp/build-config/nlb0_loopback | grep -E "RPATH|RUNPATH"; then echo "rpath"; exit 1; fi
        /tmp/build-config/nlb0_loopback | grep -q "^Loopback OK"
        # The version file: 2 matches 2.0.0; 3 (another major) and 2.1 (newer) do not.
        cmake -S /tmp/opaesharp -B /tmp/build-v2 -DOPAE_FIND=config -DOPAE_REQUEST_VERSION=2 >/dev/null
        if cmake -S /tmp/opaesharp -B /tmp/build-v3 -DOPAE_FIND=config -DOPAE_REQUEST_VERSION=3 >/dev/null 2>&1; then echo "3 accepted"; exit 1; fi
        if cmake -S /tmp/opaesharp -B /tmp/build-v21 -DOPAE_FIND=config -DOPAE_REQUEST_VERSION=2.1 >/dev/null 2>&1; then echo "2.1 accepted"; exit 1; fi'
}

cmake_pkg_check_modules() {
    in_root "$r1" '
        cmake -S /tmp/opaesharp -B /tmp/build-pc -DOPAE_FIND=pkgconfig
        cmake --build /tmp/build-pc
        /tmp/build-pc/nlb0_loopback | grep -q "^Loopback OK"'
}

native_opae_command_in_the_root() {
    in_root "$r1" '
        ldd /usr/bin/opae | tee ldd.txt
        if grep -E -i "coreclr|hostfxr|hostpolicy|dotnet|libstdc" ldd.txt; then echo "loads .NET"; exit 1; fi
        opae --version | grep -q "^'"$version"'"
        OPAESHARP_BACKEND=sim opae hello | grep -q "Done Running Test: NLB0 loopback passed"
        opae list --json | grep -q "\"name\": \"sim:0\""
        opae info | grep -q "Buffer preparation here"
        rc=0; opae nosuch 2>/dev/null || rc=$?; [ "$rc" -eq 2 ]'
}

LIBOPAE_LOGFILE_in_the_root() {
    in_root "$r1" '
        cd /tmp/opaesharp
        cat > refuse.c <<EOF
#include <opae/fpga.h>
int main(void) { return fpgaReset(NULL) == FPGA_INVALID_PARAM ? 0 : 1; }
EOF
        cc refuse.c $(pkg-config --cflags --libs opae-c) -o refuse
        LIBOPAE_LOG=1 LIBOPAE_LOGFILE=refuse.log ./refuse 2>stderr.txt
        grep -q "libopae-c : fpgaReset" refuse.log
        if grep fpgaReset stderr.txt; then echo "the message went to stderr too"; exit 1; fi'
}

deb_removes_cleanly() {
    dpkg --root="$r1" -r opaesharp || return 1
    in_root "$r1" "
        if ls /usr/lib/$multiarch/libopae-c.so* /usr/include/opae /usr/bin/opae 2>/dev/null; then echo 'files left'; exit 1; fi
        if ldconfig -p | grep libopae-c; then echo 'still in the loader cache'; exit 1; fi"
}

r2="$work/root-tarball"

tarball_relocates() {
    new_root "$r2" || return 1
    tar -xzf "$tarball" -C "$r2/opt" || return 1
    in_root "$r2" '
        name='"opaesharp-$version-$rid"'
        cd /tmp/opaesharp
        export PKG_CONFIG_PATH=/opt/$name/lib/pkgconfig
        [ "$(pkg-config --variable=prefix opae-c | xargs realpath)" = /opt/$name ]
        cc -std=c99 nlb0_loopback.c $(pkg-config --cflags --libs opae-c) -o nlb0_tar
        LD_LIBRARY_PATH=/opt/$name/lib ./nlb0_tar | grep -q "^Loopback OK"
        /opt/$name/bin/opae --version | grep -q "^'"$version"'"
        # Moved elsewhere, both ways of finding it still work.
        mv /opt/$name /srv/moved
        export PKG_CONFIG_PATH=/srv/moved/lib/pkgconfig
        cc -std=c99 nlb0_loopback.c $(pkg-config --cflags --libs opae-c) -o nlb0_moved
        LD_LIBRARY_PATH=/srv/moved/lib ./nlb0_moved | grep -q "^Loopback OK"
        unset PKG_CONFIG_PATH
        cmake -S /tmp/opaesharp -B /tmp/build-tar -DOPAE_FIND=config -DCMAKE_PREFIX_PATH=/srv/moved
        cmake --build /tmp/build-tar
        LD_LIBRARY_PATH=/srv/moved/lib /tmp/build-tar/nlb0_loopback | grep -q "^Loopback OK"'
}

# ---------------------------------------------------------------------------------------------

echo "== building the packages (eng/package.sh)"
run build_artefacts build_artefacts
if [ "$failed" -gt 0 ]; then
    echo "tests/packaging: the packages could not be built; nothing else can be checked"
    totals
    exit 1
fi

echo "== NuGet"
run library_package_metadata library_package_metadata
run tool_package_is_small tool_package_is_small
run consumer_app_uses_the_package consumer_app_uses_the_package
run sourcelink_maps_sources_to_the_repository sourcelink_maps_sources_to_the_repository
run dotnet_tool_installs_in_seconds dotnet_tool_installs_in_seconds

echo "== reference documentation"
run reference_docs_build reference_docs_build

echo "== Debian package and tarball in clean Debian 12 roots"
run deb_metadata deb_metadata
root_cases=(deb_installs_into_a_clean_root pkg_config_build_runs_without_dotnet cmake_find_package_config
    cmake_pkg_check_modules native_opae_command_in_the_root LIBOPAE_LOGFILE_in_the_root deb_removes_cleanly tarball_relocates)
if [ "$(id -u)" -ne 0 ]; then
    for c in "${root_cases[@]}"; do skip "$c" "needs root for debootstrap, chroot and mount"; done
elif ! command -v debootstrap >/dev/null; then
    for c in "${root_cases[@]}"; do run "$c" fail "debootstrap is missing (eng/install-deps.sh installs it)"; done
else
    run make_clean_debian_12_root make_pristine_root
    if [ -f "$pristine/.opaesharp-root" ]; then
        for c in "${root_cases[@]}"; do run "$c" "$c"; done
    else
        for c in "${root_cases[@]}"; do run "$c" fail "no clean root to test in"; done
    fi
fi

totals
[ "$failed" -eq 0 ]
