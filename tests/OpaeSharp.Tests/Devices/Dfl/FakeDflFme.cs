using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>
/// An FME device node as the DFL driver answers partial reconfiguration: DFL_FPGA_FME_PORT_PR
/// (_IO(0xB6, 0x80)) with the header's struct (argsz, flags, port_id, buffer_size at 0/4/8/12,
/// buffer_address at 16; 24 bytes), read at those offsets; EINVAL for a bad size or a size that is
/// not a multiple of 4, EBUSY when told the port is in use.
/// </summary>
internal sealed class FakeDflFme : FakeNode
{
    private const int PortPrSize = 24;

    internal byte[]? Loaded { get; private set; }

    internal uint LoadedPort { get; private set; }

    internal bool PortBusy { get; set; }

    internal override int ArgumentSize(uint request) => (request & 0xff) == 0x80 ? PortPrSize : 0;

    internal override unsafe int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
    {
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
