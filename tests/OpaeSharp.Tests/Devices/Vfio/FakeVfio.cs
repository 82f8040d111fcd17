using System.Runtime.InteropServices;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Vfio;

/// <summary>
/// vfio-pci with the type1 IOMMU as the kernel behaves, for one PCI function in one IOMMU group:
/// <c>/dev/vfio/vfio</c> containers, <c>/dev/vfio/N</c>, and the device descriptor; with
/// <c>iommufd</c>, also the device cdev and <c>/dev/iommu</c> (FakeVfio.Iommufd.cs). Argument bytes are read at
/// <c>linux/vfio.h</c>'s offsets; maps are checked against the usable IOVA ranges and the entry limit.
/// </summary>
internal sealed partial class FakeVfio
{
    internal const ulong Bar0Size = 0x1000;
    internal const ulong Bar2Size = 0x1000;

    // Header facts: ';' << 8 | (100 + n).
    private const uint Type = ';';
    private const uint GetApiVersion = (Type << 8) | 100;
    private const uint CheckExtension = (Type << 8) | 101;
    private const uint SetIommu = (Type << 8) | 102;
    private const uint GroupGetStatus = (Type << 8) | 103;
    private const uint GroupSetContainer = (Type << 8) | 104;
    private const uint GroupGetDeviceFd = (Type << 8) | 106;
    private const uint DeviceGetInfo = (Type << 8) | 107;
    private const uint DeviceGetRegionInfo = (Type << 8) | 108;
    private const uint DeviceReset = (Type << 8) | 111;
    private const uint IommuGetInfo = (Type << 8) | 112;
    private const uint IommuMapDma = (Type << 8) | 113;
    private const uint IommuUnmapDma = (Type << 8) | 114;

    private readonly Lock _lock = new();
    private readonly FakeKernel _kernel;
    private readonly byte[] _config = new byte[256];
    private readonly byte[] _bar2 = new byte[Bar2Size];
    private Container? _attached;
    private bool _groupOpen;

    internal FakeVfio(FakeKernel kernel, string address = "0000:00:04.0", string group = "7", ushort vendor = 0x8086, ushort device = 0xbccf, bool iommufd = false)
    {
        _kernel = kernel;
        Address = address;
        Group = group;
        Bar0 = kernel.Allocate(Bar0Size);
        var function = $"/sys/devices/pci0000:00/{address}";
        kernel.WriteFile($"{function}/vendor", $"0x{vendor:x4}");
        kernel.WriteFile($"{function}/device", $"0x{device:x4}");
        kernel.WriteFile($"{function}/numa_node", "-1");
        kernel.Link($"{function}/driver", "/sys/bus/pci/drivers/vfio-pci");
        kernel.Link($"{function}/iommu_group", $"/sys/kernel/iommu_groups/{group}");
        kernel.Link($"/sys/bus/pci/devices/{address}", function);
        kernel.AddNode("/dev/vfio/vfio", new ContainerNode(this));
        kernel.AddNode($"/dev/vfio/{group}", new GroupNode(this));
        if (iommufd)
        {
            AddIommufd(function);
        }
    }

    internal string Address { get; }

    internal string Group { get; }

    /// <summary>BAR 0's memory (mmap-able); BAR 2 is reachable only with pread/pwrite.</summary>
    internal nint Bar0 { get; }

    /// <summary>Usable IOVA ranges, inclusive ends, as VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE reports them.</summary>
    internal List<(ulong Start, ulong End)> Ranges { get; } = [(0, 0xfedf_ffff), (0xfef0_0000, 0xff_ffff_ffff)];

    /// <summary>The module's dma_entry_limit.</summary>
    internal int DmaEntryLimit { get; set; } = 65535;

    internal ushort Command => BitConverter.ToUInt16(_config, 4);

    internal int Resets { get; private set; }

    /// <summary>pread calls on BAR 0 (the AFU probe reads the feature list this way).</summary>
    internal int Bar0Reads { get; private set; }

    internal byte[] Bar2 => _bar2;

    internal IReadOnlyDictionary<ulong, (ulong Vaddr, ulong Size, uint Flags)> Mappings
    {
        get
        {
            lock (_lock)
            {
                var mappings = _attached?.Mappings ?? _ioas?.Mappings;
                return mappings is null ? new Dictionary<ulong, (ulong, ulong, uint)>() : new Dictionary<ulong, (ulong, ulong, uint)>(mappings);
            }
        }
    }

    internal bool GroupOpen => _groupOpen;

    /// <summary>Writes a u64 into BAR 0, as the card's registers would hold it (a feature list, an id register).</summary>
    internal unsafe void WriteBar0(ulong offset, ulong value) => *(ulong*)(Bar0 + (nint)offset) = value;

    /// <summary>A Device Feature Header as OFS documents it: type in bits 63:60, end of list bit 40, next offset in bits 39:16.</summary>
    internal static ulong Dfh(ulong type, ulong next, bool last) => (type << 60) | (last ? 1UL << 40 : 0) | (next << 16);

    /// <summary>BAR 0 starts with one AFU feature header carrying <paramref name="afu"/>, as an OFS accelerator function does.</summary>
    internal void LoadAfu(Guid afu, ulong at = 0)
    {
        Span<byte> bytes = stackalloc byte[16];
        afu.TryWriteBytes(bytes, bigEndian: true, out _);
        WriteBar0(at, Dfh(1, 0, last: true));
        WriteBar0(at + 0x8, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        WriteBar0(at + 0x10, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    private static ulong RegionOffset(uint index) => (ulong)index << 40;

    private sealed class Container
    {
        public bool HasGroup { get; set; }

        public bool IommuSet { get; set; }

        public Dictionary<ulong, (ulong Vaddr, ulong Size, uint Flags)> Mappings { get; } = [];
    }

    private sealed class ContainerNode(FakeVfio vfio) : FakeNode
    {
        internal override Errno Open(int flags, out object? state)
        {
            state = new Container();
            return Errno.None;
        }

        internal override void Close(FakeFile file)
        {
            // Closing the container drops every mapping in it.
            ((Container)file.State!).Mappings.Clear();
        }

        internal override int ArgumentSize(uint request) => request is IommuGetInfo or IommuMapDma or IommuUnmapDma ? -1 : 0;

        internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
        {
            var c = (Container)file.State!;
            errno = Errno.None;
            switch (request)
            {
                case GetApiVersion:
                    return 0;
                case CheckExtension:
                    return arg is 1 or 3 ? 1 : 0;
                case SetIommu:
                    if (arg != 3 || !c.HasGroup || c.IommuSet)
                    {
                        errno = Errno.EINVAL;
                        return -1;
                    }

                    c.IommuSet = true;
                    return 0;
                case IommuGetInfo:
                    return c.IommuSet ? vfio.GetInfo(arg, out errno) : Fail(Errno.EINVAL, out errno);
                case IommuMapDma:
                    return c.IommuSet ? vfio.Map(c, arg, out errno) : Fail(Errno.EINVAL, out errno);
                case IommuUnmapDma:
                    return c.IommuSet ? vfio.Unmap(c, arg, out errno) : Fail(Errno.EINVAL, out errno);
                default:
                    return Fail(Errno.ENOTTY, out errno);
            }
        }
    }

    private sealed class GroupNode(FakeVfio vfio) : FakeNode
    {
        internal override Errno Open(int flags, out object? state)
        {
            state = null;
            lock (vfio._lock)
            {
                // A group is opened by one user at a time, and not while a cdev user has the device.
                if (vfio._groupOpen || vfio._cdevBound)
                {
                    return Errno.EBUSY;
                }

                vfio._groupOpen = true;
                return Errno.None;
            }
        }

        internal override void Close(FakeFile file)
        {
            lock (vfio._lock)
            {
                vfio._groupOpen = false;
                if (vfio._attached is { } c)
                {
                    c.HasGroup = false;
                    c.IommuSet = false;
                    c.Mappings.Clear();
                    vfio._attached = null;
                }
            }
        }

        internal override int ArgumentSize(uint request) => request switch
        {
            GroupGetStatus => 8,
            GroupSetContainer => 4,
            GroupGetDeviceFd => 13,
            _ => 0,
        };

        internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
        {
            errno = Errno.None;
            switch (request)
            {
                case GroupGetStatus:
                    if (U32(arg, 0) < 8)
                    {
                        return Fail(Errno.EINVAL, out errno);
                    }

                    Put(arg, 4, 1u | (vfio._attached is null ? 0u : 2u));
                    return 0;
                case GroupSetContainer:
                    {
                        var fd = (int)U32(arg, 0);
                        if (kernel.FileOf(fd) is not { State: Container c } || vfio._attached is not null)
                        {
                            return Fail(Errno.EBADF, out errno);
                        }

                        c.HasGroup = true;
                        vfio._attached = c;
                        return 0;
                    }

                case GroupGetDeviceFd:
                    {
                        var name = Marshal.PtrToStringUTF8(arg);
                        if (vfio._attached is not { IommuSet: true })
                        {
                            return Fail(Errno.EINVAL, out errno);
                        }

                        if (name != vfio.Address)
                        {
                            return Fail(Errno.ENODEV, out errno);
                        }

                        return kernel.NewDescriptor(new DeviceNode(vfio), $"vfio-device:{name}", null);
                    }

                default:
                    return Fail(Errno.ENOTTY, out errno);
            }
        }
    }

    private class DeviceNode(FakeVfio vfio) : FakeNode
    {
        internal override int ArgumentSize(uint request) => request is DeviceGetInfo or DeviceGetRegionInfo or DeviceGetIrqInfo or DeviceSetIrqs ? -1 : 0;

        internal override void Close(FakeFile file) => vfio.CloseIrqs();

        protected FakeVfio Owner => vfio;

        /// <summary>Whether the device may be used through <paramref name="file"/> (a cdev only once bound).</summary>
        protected virtual bool Ready(FakeFile file) => true;

        internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
        {
            errno = Errno.None;
            if (!Ready(file))
            {
                return Fail(Errno.EINVAL, out errno);
            }

            switch (request)
            {
                case DeviceGetInfo:
                    if (U32(arg, 0) < 20)
                    {
                        return Fail(Errno.EINVAL, out errno);
                    }

                    Put(arg, 4, 0b11u);
                    Put(arg, 8, 9u);
                    Put(arg, 12, 5u);
                    return 0;
                case DeviceGetRegionInfo:
                    {
                        if (U32(arg, 0) < 32)
                        {
                            return Fail(Errno.EINVAL, out errno);
                        }

                        var index = U32(arg, 8);
                        var (flags, size) = index switch
                        {
                            0 => (0b111u, Bar0Size),
                            2 => (0b011u, Bar2Size),
                            7 => (0b011u, 256UL),
                            < 9 => (0u, 0UL),
                            _ => (uint.MaxValue, 0UL),
                        };
                        if (flags == uint.MaxValue)
                        {
                            return Fail(Errno.EINVAL, out errno);
                        }

                        Put(arg, 4, flags);
                        Put(arg, 12, 0u);
                        Put(arg, 16, size);
                        Put(arg, 24, RegionOffset(index));
                        return 0;
                    }

                case DeviceGetIrqInfo:
                    return vfio.GetIrqInfo(arg, out errno);
                case DeviceSetIrqs:
                    return vfio.SetIrqs(arg, out errno);
                case DeviceReset:
                    vfio.Resets++;

                    // A function-level reset clears the command register.
                    vfio._config[4] = 0;
                    vfio._config[5] = 0;
                    return 0;
                default:
                    return Fail(Errno.ENOTTY, out errno);
            }
        }

        internal override Errno Mmap(FakeFile file, ulong length, long offset, out nint address)
        {
            address = 0;
            if (!Ready(file) || (ulong)offset != RegionOffset(0) || length > Bar0Size)
            {
                return Errno.EINVAL;
            }

            address = vfio.Bar0;
            return Errno.None;
        }

        internal override unsafe Errno Pread(FakeFile file, Span<byte> buffer, long offset, out int count)
        {
            count = 0;
            if (!Ready(file))
            {
                return Errno.EINVAL;
            }

            if ((ulong)offset >> 40 == 0)
            {
                // BAR 0 can be mapped, and read with pread too, like vfio-pci allows.
                if ((ulong)offset + (ulong)buffer.Length > Bar0Size)
                {
                    return Errno.EINVAL;
                }

                new ReadOnlySpan<byte>((void*)(vfio.Bar0 + (nint)offset), buffer.Length).CopyTo(buffer);
                count = buffer.Length;
                vfio.Bar0Reads++;
                return Errno.None;
            }

            if (Backing(offset, buffer.Length) is not { } region)
            {
                return Errno.EINVAL;
            }

            region.Span.CopyTo(buffer);
            count = buffer.Length;
            return Errno.None;
        }

        internal override Errno Pwrite(FakeFile file, ReadOnlySpan<byte> buffer, long offset, out int count)
        {
            count = 0;
            if (!Ready(file) || Backing(offset, buffer.Length) is not { } region)
            {
                return Errno.EINVAL;
            }

            buffer.CopyTo(region.Span);
            count = buffer.Length;
            return Errno.None;
        }

        private Memory<byte>? Backing(long offset, int length)
        {
            var index = (uint)((ulong)offset >> 40);
            var within = (int)((ulong)offset & ((1UL << 40) - 1));
            var array = index switch
            {
                2 => vfio._bar2,
                7 => vfio._config,
                _ => null,
            };
            return array is null || within + length > array.Length ? null : array.AsMemory(within, length);
        }
    }

    private static uint U32(nint arg, int offset) => FakeNode.U32(arg, offset);

    private static ulong U64(nint arg, int offset) => FakeNode.U64(arg, offset);

    private static void Put(nint arg, int offset, uint value) => FakeNode.Put(arg, offset, value);

    private static void Put(nint arg, int offset, ulong value) => FakeNode.Put(arg, offset, value);

    private static int Fail(Errno errno, out Errno result)
    {
        result = errno;
        return -1;
    }

    private int GetInfo(nint arg, out Errno errno)
    {
        var argsz = U32(arg, 0);
        if (argsz < 24)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        // Capability chain right after the 24-byte struct: IOVA ranges, then DMA mappings left.
        var rangesCap = 24u;
        var availCap = rangesCap + 16 + (16 * (uint)Ranges.Count);
        var total = availCap + 12;
        Put(arg, 4, 0b11u);
        Put(arg, 8, 0x4020_1000UL);
        if (argsz < total)
        {
            Put(arg, 0, total);
            Put(arg, 16, 0u);
            errno = Errno.None;
            return 0;
        }

        Put(arg, 16, rangesCap);
        PutCap(arg, rangesCap, 1, availCap);
        Put(arg, (int)rangesCap + 8, (uint)Ranges.Count);
        Put(arg, (int)rangesCap + 12, 0u);
        for (var i = 0; i < Ranges.Count; i++)
        {
            Put(arg, (int)rangesCap + 16 + (16 * i), Ranges[i].Start);
            Put(arg, (int)rangesCap + 24 + (16 * i), Ranges[i].End);
        }

        PutCap(arg, availCap, 3, 0);
        lock (_lock)
        {
            Put(arg, (int)availCap + 8, (uint)(DmaEntryLimit - (_attached?.Mappings.Count ?? 0)));
        }

        errno = Errno.None;
        return 0;
    }

    private static unsafe void PutCap(nint arg, uint offset, ushort id, uint next)
    {
        *(ushort*)(arg + (nint)offset) = id;
        *(ushort*)(arg + (nint)offset + 2) = 1;
        *(uint*)(arg + (nint)offset + 4) = next;
    }

    private int Map(Container c, nint arg, out Errno errno)
    {
        var argsz = U32(arg, 0);
        var flags = U32(arg, 4);
        var vaddr = U64(arg, 8);
        var iova = U64(arg, 16);
        var size = U64(arg, 24);
        if (argsz < 32 || (flags & ~3u) != 0 || (flags & 3u) == 0 || size == 0 || ((vaddr | iova | size) & 0xfff) != 0)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        if (!Ranges.Any(r => iova >= r.Start && iova + size - 1 <= r.End))
        {
            return Fail(Errno.EINVAL, out errno);
        }

        lock (_lock)
        {
            if (c.Mappings.Any(m => iova < m.Key + m.Value.Size && m.Key < iova + size))
            {
                return Fail(Errno.EEXIST, out errno);
            }

            if (c.Mappings.Count >= DmaEntryLimit)
            {
                return Fail(Errno.ENOSPC, out errno);
            }

            c.Mappings[iova] = (vaddr, size, flags);
        }

        errno = Errno.None;
        return 0;
    }

    private int Unmap(Container c, nint arg, out Errno errno)
    {
        if (U32(arg, 0) < 24 || U32(arg, 4) != 0)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        var iova = U64(arg, 8);
        var size = U64(arg, 16);
        lock (_lock)
        {
            // Like the kernel: nothing mapped exactly there unmaps nothing, and says so in size.
            var removed = c.Mappings.TryGetValue(iova, out var m) && m.Size == size && c.Mappings.Remove(iova);
            Put(arg, 16, removed ? size : 0UL);
        }

        errno = Errno.None;
        return 0;
    }
}
