#!/usr/bin/env bash
# The emulated-machine test of the VFIO backend (docs/vm-test.md).
#
# Boots Debian's stock kernel under QEMU on a q35 machine with a virtual Intel IOMMU and QEMU's
# `edu` PCI device, binds edu to vfio-pci, runs tests/vm/EduProbe (NativeAOT, our VFIO backend)
# against it as an ordinary user, and counts the RESULT lines the guest prints on its serial
# console. The last line is "N passed, N failed, N skipped"; the exit status is non-zero on failure.
#
# Everything it builds is cached under build/vm (OPAESHARP_VM_BUILD): the kernel package
# (downloaded with apt-get, unpacked, never installed), the published test program, the initramfs.
# Without QEMU, busybox-static or the kernel package it skips, except under CI=true, where a
# missing piece is a failure.
#
# Environment: OPAESHARP_VM_BUILD (cache dir), OPAESHARP_VM_TIMEOUT (seconds for the whole VM run,
# default 300), OPAESHARP_VM_ACCEL (tcg; kvm where a real one is usable),
# OPAESHARP_VM_KERNEL_PACKAGE (e.g. linux-image-6.1.0-56-amd64; default: what linux-image-amd64
# depends on), OPAESHARP_VM_KEEP=1 (keep the serial log of a passing run in the build dir).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/vm
build=${OPAESHARP_VM_BUILD:-$root/build/vm}
vm_timeout=${OPAESHARP_VM_TIMEOUT:-300}
accel=${OPAESHARP_VM_ACCEL:-tcg}
started=$(date +%s)

# What the guest is told (written to /etc/vm-test.conf).
modules_wanted="vfio_iommu_type1 vfio_pci"
dma_entry_limit=24     # vfio_iommu_type1's cap on mappings per container; small so the probe can exhaust it
memlock_kib=65536      # RLIMIT_MEMLOCK of the test program (VFIO charges pinned pages to it)
small_memlock_kib=96   # ... and for its locked-memory checks: buffers add up to it (VFIO pins once; the library locks nothing)
hugepages_2m=8         # reserved in the guest so buffers of 2 MiB and more get hugepages
probe_uid=1000
probe_timeout=180

passed=0 failed=0 skipped=0

finish() {
    echo "tests/vm: wall time $(( $(date +%s) - started )) s"
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit
}

# A missing prerequisite: a skip on a developer's machine, a failure in CI.
unavailable() {
    if [ "${CI:-}" = true ]; then
        echo "tests/vm: FAILED: $1 (run eng/install-deps.sh; CI must run this suite)"
        failed=$((failed + 1))
    else
        echo "tests/vm: SKIPPED: $1 (run eng/install-deps.sh to install what it needs)"
        skipped=$((skipped + 1))
    fi
    finish
}

broken() {
    echo "tests/vm: FAILED: $1"
    failed=$((failed + 1))
    finish
}

mkdir -p "$build" || broken "cannot create $build"
# Two runs in one checkout (two terminals, an editor's test task) would rebuild the same initramfs.
exec 9>"$build/.lock"
flock -w 900 9 || broken "another tests/vm/run.sh holds $build/.lock"

# ---------------------------------------------------------------- prerequisites
qemu=$(command -v qemu-system-x86_64) || unavailable "qemu-system-x86_64 not found (Debian package qemu-system-x86)"
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 \
    || unavailable "no static /bin/busybox (Debian package busybox-static)"
for tool in cpio gzip dpkg-deb apt-get apt-cache; do
    command -v "$tool" >/dev/null || unavailable "$tool not found"
done

# ---------------------------------------------------------------- kernel
# The stock Debian kernel: its package is downloaded and unpacked, never installed on this machine.
kernel_package() {
    local pkg=${OPAESHARP_VM_KERNEL_PACKAGE:-}
    [ -n "$pkg" ] || pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$pkg" ] && apt-cache show --no-all-versions "$pkg" 2>/dev/null | awk -v p="$pkg" '/^Version:/ { print p "=" $2; exit }'
}
kpkg=$(kernel_package)
if [ -z "$kpkg" ] && [ "$(id -u)" -eq 0 ]; then
    echo "tests/vm: apt does not know the kernel package; running apt-get update"
    apt-get update -qq >/dev/null 2>&1
    kpkg=$(kernel_package)
fi
[ -n "$kpkg" ] || unavailable "apt knows no kernel package ${OPAESHARP_VM_KERNEL_PACKAGE:-linux-image-amd64} (apt-get update?)"
kdir=$build/kernel/${kpkg/=/_}

# The modules we load and, recursively, the modules they depend on (from each module's own
# "depends=" field; the package has no modules.dep, depmod writes that at install time).
module_info() { # module_info FILE FIELD
    local cat=cat
    case $1 in *.xz) cat="xz -dc" ;; *.zst) cat="zstd -dc" ;; *.gz) cat="gzip -dc" ;; esac
    $cat "$1" | tr '\0' '\n' | sed -n "s/^$2=//p" | head -n1
}

unpack_kernel() {
    local tmp=$build/kernel/tmp
    rm -rf "$tmp" && mkdir -p "$tmp/deb" "$tmp/tree" || return 1
    echo "tests/vm: downloading ${kpkg%%=*} ${kpkg#*=}"
    (cd "$tmp/deb" && apt-get download -q -o APT::Sandbox::User=root "$kpkg" >/dev/null) || return 1
    dpkg-deb -x "$tmp"/deb/*.deb "$tmp/tree" || return 1
    local vmlinuz moddir
    vmlinuz=$(ls "$tmp"/tree/boot/vmlinuz-* 2>/dev/null | head -n1)
    moddir=$(ls -d "$tmp"/tree/lib/modules/* "$tmp"/tree/usr/lib/modules/* 2>/dev/null | head -n1)
    [ -f "$vmlinuz" ] && [ -d "$moddir" ] || { echo "tests/vm: no vmlinuz or modules in ${kpkg%%=*}"; return 1; }

    declare -A path_of=() seen=()
    local f b order=()
    while IFS= read -r f; do
        b=${f##*/}; b=${b%%.ko*}; path_of[${b//-/_}]=$f
    done < <(find "$moddir/kernel" -name '*.ko*')
    resolve() {
        local n=${1//-/_} dep
        [ -z "${seen[$n]:-}" ] || return 0
        seen[$n]=1
        if [ -z "${path_of[$n]:-}" ]; then
            # Built into the kernel: nothing to load.
            grep -q "/$n.ko\$\|/${n//_/-}.ko\$" "$moddir/modules.builtin" 2>/dev/null && return 0
            echo "tests/vm: module $n is neither in ${kpkg%%=*} nor built in"; return 1
        fi
        for dep in $(module_info "${path_of[$n]}" depends | tr ',' ' '); do resolve "$dep" || return 1; done
        order+=("$n")
    }
    local m
    for m in $modules_wanted; do resolve "$m" || return 1; done

    rm -rf "$kdir" && mkdir -p "$kdir/modules" || return 1
    cp "$vmlinuz" "$kdir/vmlinuz" || return 1
    for m in "${order[@]}"; do
        case ${path_of[$m]} in
            *.xz) xz -dc "${path_of[$m]}" ;; *.zst) zstd -dc "${path_of[$m]}" ;; *.gz) gzip -dc "${path_of[$m]}" ;;
            *) cat "${path_of[$m]}" ;;
        esac > "$kdir/modules/$m.ko" || return 1
    done
    echo "${order[*]}" > "$kdir/modules.order"
    rm -rf "$tmp"
}
if [ ! -f "$kdir/modules.order" ] && ! unpack_kernel; then
    # A stale package list names a version the archive no longer serves: refresh it once.
    if [ "$(id -u)" -eq 0 ]; then
        echo "tests/vm: retrying after apt-get update"
        apt-get update -qq >/dev/null 2>&1
        kpkg=$(kernel_package)
        kdir=$build/kernel/${kpkg/=/_}
    fi
    [ -n "$kpkg" ] && { [ -f "$kdir/modules.order" ] || unpack_kernel; } \
        || unavailable "could not download and unpack the kernel package ${kpkg%%=*}"
fi
echo "tests/vm: kernel ${kpkg%%=*} ${kpkg#*=}, modules: $(cat "$kdir/modules.order")"

# ---------------------------------------------------------------- test program
# Published NativeAOT, so the guest needs no .NET: only the C libraries ldd lists.
probe_project=$here/EduProbe/EduProbe.csproj
probe_bin=""
if [ -f "$probe_project" ]; then
    command -v dotnet >/dev/null || unavailable "dotnet not found (needed to build the test program)"
    # Rebuilt only when a source of the program or of the library changed.
    stamp=$( (cd "$root" && find src/OpaeSharp tests/vm/EduProbe Directory.Build.props Directory.Packages.props global.json \
        \( -name bin -o -name obj \) -prune -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) -print 2>/dev/null \
        | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16)
    probe_bin=$build/probe/EduProbe
    if [ "$(cat "$build/probe/.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -x "$probe_bin" ]; then
        echo "tests/vm: publishing the test program (NativeAOT)"
        rm -rf "$build/probe"
        if ! dotnet publish "$probe_project" -c Release -r linux-x64 --artifacts-path "$build/artifacts" \
                -o "$build/probe" -v quiet -nologo > "$build/publish.log" 2>&1; then
            tail -n 40 "$build/publish.log"
            broken "the test program did not build (log: $build/publish.log)"
        fi
        echo "$stamp" > "$build/probe/.stamp"
    fi
fi

# ---------------------------------------------------------------- initramfs
rootfs=$build/rootfs
rm -rf "$rootfs" && mkdir -p "$rootfs"/{bin,etc,lib/modules,probe,proc,sys,dev,tmp} || broken "cannot create $rootfs"
cp /bin/busybox "$rootfs/bin/busybox"
cp "$here/init.sh" "$rootfs/init" && chmod 755 "$rootfs/init"
cp "$kdir"/modules/*.ko "$rootfs/lib/modules/"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
cat > "$rootfs/etc/vm-test.conf" <<EOF
MODULES="$(cat "$kdir/modules.order")"
DMA_ENTRY_LIMIT=$dma_entry_limit
MEMLOCK_KIB=$memlock_kib
SMALL_MEMLOCK_KIB=$small_memlock_kib
HUGEPAGES_2M=$hugepages_2m
PROBE_UID=$probe_uid
PROBE_TIMEOUT=$probe_timeout
EOF
if [ -n "$probe_bin" ]; then
    cp "$probe_bin" "$rootfs/probe/EduProbe"
    # The program's shared libraries (and the dynamic loader) at the paths it was linked against.
    for lib in $(ldd "$probe_bin" | grep -o '/[^ ]*'); do
        mkdir -p "$rootfs$(dirname "$lib")" && cp -L "$lib" "$rootfs$lib"
    done
fi
initrd=$build/initrd.gz
(cd "$rootfs" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$initrd" || broken "cannot build the initramfs"
echo "tests/vm: initramfs $(( $(stat -c %s "$initrd") / 1024 )) KiB"

# ---------------------------------------------------------------- boot
log=$build/serial.log
echo "tests/vm: booting ($accel, limit ${vm_timeout}s)"
# intel-iommu must come before the device it translates for.
timeout -k 10 "$vm_timeout" "$qemu" \
    -accel "$accel" -machine q35,kernel-irqchip=split -cpu max -smp 1 -m 512M \
    -device intel-iommu,intremap=on,caching-mode=on \
    -device edu \
    -kernel "$kdir/vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 intel_iommu=on iommu=strict quiet loglevel=3 panic=-1" \
    -display none -vga none -nic none -monitor none -serial "file:$log" -no-reboot \
    </dev/null > "$build/qemu.log" 2>&1
rc=$?
tr -d '\r' < "$log" | sed 's/^/  | /'
# QEMU's own messages; the IOMMU faults it reports there are the ones the blocked-DMA checks cause.
[ -s "$build/qemu.log" ] && sed 's/^/  qemu: /' "$build/qemu.log"

# ---------------------------------------------------------------- verdict
while IFS= read -r line; do
    case $line in
        "RESULT PASS "*) passed=$((passed + 1)) ;;
        "RESULT FAIL "*) failed=$((failed + 1)); echo "tests/vm: FAILED: ${line#RESULT FAIL }" ;;
        "RESULT SKIP "*) skipped=$((skipped + 1)) ;;
    esac
done < <(tr -d '\r' < "$log")
if ! tr -d '\r' < "$log" | grep -q '^VERDICT: '; then
    case $rc in
        124|137) why="stopped after ${vm_timeout}s" ;;
        0) why="the machine powered off early" ;;
        *) why="qemu exited with $rc" ;;
    esac
    echo "tests/vm: FAILED: the guest reported no verdict ($why; serial log: $log)"
    failed=$((failed + 1))
fi
[ "$passed" -gt 0 ] || [ "$failed" -gt 0 ] || { echo "tests/vm: FAILED: the guest ran no check"; failed=$((failed + 1)); }
finish
