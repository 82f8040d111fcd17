#!/usr/bin/env bash
# Installs the Debian packages the test suites need (idempotent; needs root or sudo).
set -euo pipefail
# build-essential is also all NativeAOT (libopae-c, tests/vm/EduProbe) needs on Debian 12: the
# ILCompiler links with clang when present, else gcc; zlib ships inside the .NET 10 AOT runtime pack.
packages=(build-essential cmake pkg-config uuid-dev)
# Installed without recommends (for QEMU those are its GUI and firmware, some fifty packages):
# the emulated-machine suite (tests/vm): QEMU, a static busybox and cpio for its initramfs;
# the packaging suite (tests/packaging, eng/package.sh): dpkg-deb and dpkg-shlibdeps, debootstrap
# for a clean Debian root to install into, unzip to look inside NuGet packages.
vm_packages=(qemu-system-x86 busybox-static cpio dpkg-dev debootstrap unzip)
missing=() vm_missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
for p in "${vm_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || vm_missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ ${#vm_missing[@]} -gt 0 ]; then
    sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    if [ ${#missing[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
    fi
    if [ ${#vm_missing[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${vm_missing[@]}"
    fi
fi
