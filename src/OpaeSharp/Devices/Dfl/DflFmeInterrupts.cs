using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using DflApi = OpaeSharp.Interop.Dfl;

namespace OpaeSharp.Devices.Dfl;

/// <summary>
/// An FPGA_DEVICE handle's view of a card's FME node (<c>/dev/dfl-fme.N</c>), opened shared: its
/// error reporting interrupt. The node stays open while this lives, because the driver drops every
/// eventfd binding of the FME when its last user closes it.
/// </summary>
internal sealed class DflFmeInterrupts : IDeviceInterrupts
{
    private readonly SafeFileDescriptor? _fme;
    private int _disposed;

    private DflFmeInterrupts(SafeFileDescriptor? fme, IInterruptLines? errors)
    {
        _fme = fme;
        Errors = errors;
    }

    public IInterruptLines? Errors { get; }

    /// <summary>Opens <paramref name="path"/>; a driver with no FME node, or OPAE's legacy driver, gives no error interrupt.</summary>
    internal static DflFmeInterrupts Open(IKernel kernel, DflDriver driver, string path, DflInterruptClaims claims)
    {
        if (driver != DflDriver.Upstream || !path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return new DflFmeInterrupts(null, null);
        }

        var errno = kernel.Open(path, Libc.O_RDWR, out var fme);
        if (errno != Errno.None || fme is null)
        {
            throw KernelErrors.Exception($"open {path}", errno, KernelErrors.OpenHint(path, errno));
        }

        return new DflFmeInterrupts(fme, new DflInterruptLines(kernel, fme, path, DflApi.DFL_FPGA_FME_ERR_GET_IRQ_NUM, DflApi.DFL_FPGA_FME_ERR_SET_IRQ, "error interrupt", claims));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _fme?.Dispose();
        }
    }
}
