#!/bin/busybox sh
# /init of the test machine's initramfs (see docs/vm-test.md). It loads the VFIO modules, binds
# QEMU's edu device (1234:11e8) to vfio-pci, runs the test program as an unprivileged user and
# powers off. Every check prints one line the harness counts:
#   RESULT PASS|FAIL|SKIP <name>[: detail]
# and the last thing it prints is "VERDICT: PASS" or "VERDICT: FAIL ...".
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
export PATH=/bin HOME=/tmp
. /etc/vm-test.conf

failures=0
result() { # result PASS|FAIL|SKIP name [detail]
    echo "RESULT $1 $2${3:+: $3}"
    [ "$1" = FAIL ] && failures=$((failures + 1))
}
finish() {
    echo "== guest: IOMMU faults the kernel logged (expected for the blocked-DMA checks)"
    dmesg | grep -E 'DMAR: \[DMA|fault addr|fault reason' | sed 's/^/   /' | tail -n 20
    if [ "$failures" -eq 0 ]; then echo "VERDICT: PASS"; else echo "VERDICT: FAIL ($failures failed)"; fi
    sync
    poweroff -f
}

echo "== guest: kernel $(uname -r), loading $MODULES"
for m in $MODULES; do
    params=""
    [ "$m" = vfio_iommu_type1 ] && params="dma_entry_limit=$DMA_ENTRY_LIMIT"
    if ! insmod "/lib/modules/$m.ko" $params; then
        result FAIL vm.modules_load "insmod $m failed"
        finish
    fi
done
result PASS vm.modules_load

# The IOMMU must be on, else vfio-pci has no group to give us.
if [ -z "$(ls /sys/class/iommu 2>/dev/null)" ]; then
    result FAIL vm.iommu_enabled "no IOMMU in /sys/class/iommu (intel_iommu=on and -device intel-iommu needed)"
    finish
fi
result PASS vm.iommu_enabled

edu=""
for d in /sys/bus/pci/devices/*; do
    if [ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ]; then edu=$d; break; fi
done
if [ -z "$edu" ]; then
    result FAIL vm.edu_present "no PCI function 1234:11e8"
    finish
fi
bdf=${edu##*/}

# driver_override makes vfio-pci the only driver that will take this one function.
[ -e "$edu/driver" ] && echo "$bdf" > "$edu/driver/unbind"
echo vfio-pci > "$edu/driver_override"
echo "$bdf" > /sys/bus/pci/drivers_probe
group=$(readlink "$edu/iommu_group"); group=${group##*/}
driver=$(readlink "$edu/driver"); driver=${driver##*/}
if [ "$driver" != vfio-pci ] || [ ! -c "/dev/vfio/$group" ]; then
    result FAIL vm.edu_bound_to_vfio_pci "driver=${driver:-none}, group=${group:-none}, /dev/vfio: $(ls /dev/vfio 2>/dev/null | tr '\n' ' ')"
    finish
fi
result PASS vm.edu_bound_to_vfio_pci "$bdf, IOMMU group $group, /dev/vfio/$group"

if [ ! -x /probe/EduProbe ]; then
    result SKIP vm.probe "no test program in this initramfs"
    finish
fi

# The program runs as an ordinary user, like a real application: the group node is handed to it,
# and without CAP_IPC_LOCK the kernel charges every pinned page to its RLIMIT_MEMLOCK.
echo "$HUGEPAGES_2M" > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null
chown "$PROBE_UID:$PROBE_UID" "/dev/vfio/$group"
echo "probe:x:$PROBE_UID:$PROBE_UID:probe:/tmp:/bin/sh" >> /etc/passwd
echo "probe:x:$PROBE_UID:" >> /etc/group
run_probe() { # run_probe MEMLOCK_KIB DMA_BITS [ARG]: the program as the unprivileged user, under that locked-memory limit
    local limit=$1 bits=$2 mode=${3:-}
    # OPAESHARP_VFIO_DMA_BITS is how a user tells the VFIO backend how wide the device's DMA addresses are;
    # OPAESHARP_VFIO_DEVICES lets it use a function whose PCI id is not an FPGA card's (edu's is not).
    (ulimit -l "$limit" && exec timeout "$PROBE_TIMEOUT" su probe -s /bin/sh \
        -c "OPAESHARP_VFIO_DEVICES=$bdf OPAESHARP_VFIO_DMA_BITS=$bits exec /probe/EduProbe --pci $bdf $mode")
    rc=$?
    # 0: every check passed; 1: some check failed (its RESULT line says which); anything else: it
    # crashed or was stopped before it could report.
    case $rc in
        0) ;;
        1) failures=$((failures + 1)) ;;
        *) result FAIL "vm.probe${mode:+_${mode#--}}_exit" "the test program ended with status $rc before finishing (crash, or stopped after ${PROBE_TIMEOUT}s)" ;;
    esac
}
echo "== guest: test program as uid $PROBE_UID: memlock $MEMLOCK_KIB KiB, dma_entry_limit $DMA_ENTRY_LIMIT, edu's 28-bit DMA addresses"
run_probe "$MEMLOCK_KIB" 28
echo "== guest: the same under a small locked-memory limit, $SMALL_MEMLOCK_KIB KiB"
run_probe "$SMALL_MEMLOCK_KIB" 28 --memlock
echo "== guest: the same told the device reaches only 21-bit addresses"
run_probe "$MEMLOCK_KIB" 21 --address-width
finish
