using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>
/// An FME device node (<c>/dev/dfl-fme.N</c>) as the DFL driver answers what this library asks:
/// partial reconfiguration, DFL_FPGA_FME_PORT_PR (_IO(0xB6, 0x80)) with the header's struct
/// (argsz, flags, port_id, buffer_size at 0/4/8/12, buffer_address at 16; 24 bytes), read at those
/// offsets, EINVAL for a bad size or a size that is not a multiple of 4, EBUSY when told the port is
/// in use; and the error reporting interrupt (DFL_FPGA_FME_ERR_GET_IRQ_NUM / _SET_IRQ), whose
/// bindings the driver drops when the last user closes the node.
/// </summary>
internal sealed class FakeDflFme : FakeNode
{
    private const int PortPrSize = 24;

    // _IOR(0xB6, 0x83, __u32) and _IOW(0xB6, 0x84, struct dfl_fpga_irq_set).
    private const uint ErrGetIrqNum = 0x8004b683;
    private const uint ErrSetIrq = 0x4008b684;

    private int _opens;

    internal byte[]? Loaded { get; private set; }

    internal uint LoadedPort { get; private set; }

    internal bool PortBusy { get; set; }

    internal FakeDflIrqs ErrorIrqs { get; } = new(1);

    internal int Opens => Volatile.Read(ref _opens);

    internal override Errno Open(int flags, out object? state)
    {
        state = null;
        Interlocked.Increment(ref _opens);
        return Errno.None;
    }

    internal override void Close(FakeFile file)
    {
        if (Interlocked.Decrement(ref _opens) == 0)
        {
            ErrorIrqs.Clear();
        }
    }

    internal override int ArgumentSize(uint request) => request switch
    {
        ErrGetIrqNum => 4,
        _ when (request & 0xff) == 0x80 => PortPrSize,
        _ => 0,
    };

    internal override int ArgumentLength(uint request, nint arg) => request == ErrSetIrq ? FakeDflIrqs.SetSize(arg) : ArgumentSize(request);

    internal override unsafe int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
    {
        switch (request)
        {
            case ErrGetIrqNum:
                return ErrorIrqs.GetCount(arg, out errno);
            case ErrSetIrq:
                return ErrorIrqs.Set(arg, out errno);
        }

        errno = Errno.None;
        if (request >> 8 != 0xB6 || (request & 0xff) != 0x80)
        {
            errno = Errno.ENOTTY;
            return -1;
        }

        var size = U32(arg, 12);
        if (U32(arg, 0) != PortPrSize || U32(arg, 4) != 0 || size % 4 != 0)
        {
            errno = Errno.EINVAL;
            return -1;
        }

        if (PortBusy)
        {
            errno = Errno.EBUSY;
            return -1;
        }

        LoadedPort = U32(arg, 8);
        Loaded = new ReadOnlySpan<byte>((void*)U64(arg, 16), (int)size).ToArray();
        return 0;
    }
}
