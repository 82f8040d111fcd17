using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>
/// A DFL (or intel-fpga) port as its driver behaves: exclusive or shared opens, region info for the
/// AFU registers, DMA map/unmap with the header's struct layouts (read at the header's byte offsets,
/// not through our structs), IO addresses far from the virtual ones, port reset.
/// </summary>
internal sealed class FakeDflPort : FakeNode
{
    internal const ulong MmioSize = 0x40000;
    internal const ulong FirstIova = 0x7_0000_0000;

    // Header facts: _IO(magic, 0x40 + n), struct sizes 32 (region info, dma map) and 16 (dma unmap).
    private const int RegionInfoSize = 32;
    private const int DmaMapSize = 32;
    private const int DmaUnmapSize = 16;

    // _IOR(0xB6, 0x45 / 0x47, __u32) and _IOW(0xB6, 0x46 / 0x48, struct dfl_fpga_irq_set): the upstream driver's only.
    private const uint ErrGetIrqNum = 0x8004b645;
    private const uint ErrSetIrq = 0x4008b646;
    private const uint UintGetIrqNum = 0x8004b647;
    private const uint UintSetIrq = 0x4008b648;

    private readonly Lock _lock = new();
    private readonly uint _magic;
    private readonly bool _legacy;
    private readonly SortedDictionary<ulong, (ulong UserAddress, ulong Length, uint Flags)> _mappings = [];
    private ulong _nextIova = FirstIova;
    private int _opens;
    private bool _exclusive;

    internal FakeDflPort(FakeKernel kernel, bool legacy)
    {
        _legacy = legacy;
        _magic = legacy ? 0xB5u : 0xB6u;
        Registers = kernel.Allocate(MmioSize);
    }

    /// <summary>The AFU's register memory, what a mapping of region 0 points at.</summary>
    internal nint Registers { get; }

    internal int Resets { get; private set; }

    /// <summary>The card's FME node (upstream driver only), beside the port.</summary>
    internal FakeDflFme Fme { get; } = new();

    /// <summary>The AFU's user interrupts (DFL_FPGA_PORT_UINT_*); none unless a test gives the AFU some.</summary>
    internal FakeDflIrqs UserIrqs { get; } = new(0);

    /// <summary>The port's error reporting interrupt (DFL_FPGA_PORT_ERR_*): one, as the hardware has.</summary>
    internal FakeDflIrqs ErrorIrqs { get; } = new(1);

    internal int Opens => Volatile.Read(ref _opens);

    internal int MappingCount
    {
        get
        {
            lock (_lock)
            {
                return _mappings.Count;
            }
        }
    }

    internal uint FlagsOf(ulong iova)
    {
        lock (_lock)
        {
            return _mappings[iova].Flags;
        }
    }

    internal uint Request(uint nr) => (_magic << 8) | nr;

    internal override Errno Open(int flags, out object? state)
    {
        state = null;
        lock (_lock)
        {
            var exclusive = (flags & Libc.O_EXCL) != 0;
            if (_exclusive || (exclusive && _opens > 0))
            {
                return Errno.EBUSY;
            }

            _exclusive = exclusive;
            _opens++;
            return Errno.None;
        }
    }

    internal override void Close(FakeFile file)
    {
        lock (_lock)
        {
            if (--_opens == 0)
            {
                // The driver drops every DMA region and interrupt binding when the last user closes the port.
                _exclusive = false;
                _mappings.Clear();
                UserIrqs.Clear();
                ErrorIrqs.Clear();
            }
        }
    }

    internal override int ArgumentSize(uint request) => (request & 0xff) switch
    {
        0x42 => RegionInfoSize,
        0x43 => DmaMapSize,
        0x44 => DmaUnmapSize,
        0x45 or 0x47 => 4,
        _ => 0,
    };

    internal override int ArgumentLength(uint request, nint arg) =>
        !_legacy && request is ErrSetIrq or UintSetIrq ? FakeDflIrqs.SetSize(arg) : ArgumentSize(request);

    internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
    {
        errno = Errno.None;
        if (!_legacy)
        {
            switch (request)
            {
                case ErrGetIrqNum:
                    return ErrorIrqs.GetCount(arg, out errno);
                case ErrSetIrq:
                    return ErrorIrqs.Set(arg, out errno);
                case UintGetIrqNum:
                    return UserIrqs.GetCount(arg, out errno);
                case UintSetIrq:
                    return UserIrqs.Set(arg, out errno);
            }
        }

        if ((request >> 8) != _magic)
        {
            errno = Errno.ENOTTY;
            return -1;
        }

        switch (request & 0xff)
        {
            case 0x40:
                Resets++;
                return 0;
            case 0x42:
                if (U32(arg, 0) < RegionInfoSize || U32(arg, 8) != 0)
                {
                    errno = Errno.EINVAL;
                    return -1;
                }

                Put(arg, 4, 0b111u);
                Put(arg, 16, MmioSize);
                Put(arg, 24, 0UL);
                return 0;
            case 0x43:
                return Map(arg, out errno);
            case 0x44:
                return Unmap(arg, out errno);
            default:
                errno = Errno.ENOTTY;
                return -1;
        }
    }

    internal override Errno Mmap(FakeFile file, ulong length, long offset, out nint address)
    {
        address = 0;
        if (offset != 0 || length > MmioSize)
        {
            return Errno.EINVAL;
        }

        address = Registers;
        return Errno.None;
    }

    private int Map(nint arg, out Errno errno)
    {
        var argsz = U32(arg, 0);
        var flags = U32(arg, 4);
        var user = U64(arg, 8);
        var length = U64(arg, 16);
        var allowedFlags = _legacy ? 0b11u : 0u;
        if (argsz < DmaMapSize || (flags & ~allowedFlags) != 0 || length == 0 || (user & 0xfff) != 0 || (length & 0xfff) != 0)
        {
            errno = Errno.EINVAL;
            return -1;
        }

        lock (_lock)
        {
            foreach (var m in _mappings.Values)
            {
                if (user < m.UserAddress + m.Length && m.UserAddress < user + length)
                {
                    errno = Errno.EEXIST;
                    return -1;
                }
            }

            var iova = _nextIova;
            _nextIova += (length + 0x1fffff) & ~0x1fffffUL;
            _mappings[iova] = (user, length, flags);
            Put(arg, 24, iova);
        }

        errno = Errno.None;
        return 0;
    }

    private int Unmap(nint arg, out Errno errno)
    {
        lock (_lock)
        {
            if (U32(arg, 0) < DmaUnmapSize || U32(arg, 4) != 0 || !_mappings.Remove(U64(arg, 8)))
            {
                errno = Errno.EINVAL;
                return -1;
            }
        }

        errno = Errno.None;
        return 0;
    }
}
