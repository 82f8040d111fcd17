using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>
/// A DFL FME node (<c>/dev/dfl-fme.N</c>) as the driver behaves for what this library asks of it:
/// shared opens, and the error reporting interrupt (DFL_FPGA_FME_ERR_GET_IRQ_NUM / _SET_IRQ),
/// whose bindings the driver drops when the last user closes the node.
/// </summary>
internal sealed class FakeDflFme : FakeNode
{
    // _IOR(0xB6, 0x83, __u32) and _IOW(0xB6, 0x84, struct dfl_fpga_irq_set).
    private const uint ErrGetIrqNum = 0x8004b683;
    private const uint ErrSetIrq = 0x4008b684;

    private int _opens;

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

    internal override int ArgumentSize(uint request) => request == ErrGetIrqNum ? 4 : 0;

    internal override int ArgumentLength(uint request, nint arg) => request == ErrSetIrq ? FakeDflIrqs.SetSize(arg) : ArgumentSize(request);

    internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
    {
        switch (request)
        {
            case ErrGetIrqNum:
                return ErrorIrqs.GetCount(arg, out errno);
            case ErrSetIrq:
                return ErrorIrqs.Set(arg, out errno);
            default:
                errno = Errno.ENOTTY;
                return -1;
        }
    }
}
