using System.Collections.Concurrent;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using DflApi = OpaeSharp.Interop.Dfl;

namespace OpaeSharp.Devices.Dfl;

/// <summary>
/// The interrupt vectors of one DFL private feature, reached through an open port or FME node:
/// the AFU's user interrupts (DFL_FPGA_PORT_UINT_*), the port's or the FME's error interrupt
/// (DFL_FPGA_PORT_ERR_*, DFL_FPGA_FME_ERR_*). The driver keeps one eventfd per vector for the whole
/// device, not per open file, so which vectors this process has bound is kept per device node in
/// <see cref="DflInterruptClaims"/>: a second handle cannot silently take a vector from the first.
/// </summary>
/// <remarks>
/// Thread-safe; takes no lock (claims are compare-and-swap). The SET_IRQ ioctls only bind or unbind
/// an eventfd (the driver requests or frees the IRQ) and never wait for the device.
/// </remarks>
internal sealed class DflInterruptLines : IInterruptLines
{
    private readonly IKernel _kernel;
    private readonly SafeFileDescriptor _node;
    private readonly uint _getCount;
    private readonly uint _set;
    private readonly string _what;
    private readonly DflInterruptClaims _claims;
    private readonly string _claimKey;
    private readonly Lazy<int> _count;
    private readonly SafeFileDescriptor?[] _mine;

    /// <param name="kernel">The kernel seam.</param>
    /// <param name="node">The open port or FME descriptor (owned by the caller; must outlive this).</param>
    /// <param name="path">The node's path, naming the device for claims and messages.</param>
    /// <param name="getCount">The feature's GET_IRQ_NUM request.</param>
    /// <param name="set">The feature's SET_IRQ request.</param>
    /// <param name="what">"user interrupt", "error interrupt": for messages.</param>
    /// <param name="claims">This process's vector bindings, shared by every handle of the backend.</param>
    internal DflInterruptLines(IKernel kernel, SafeFileDescriptor node, string path, uint getCount, uint set, string what, DflInterruptClaims claims)
    {
        _kernel = kernel;
        _node = node;
        _getCount = getCount;
        _set = set;
        _what = $"{path} {what}";
        _claims = claims;
        _claimKey = $"{path}#{set:x}";
        _count = new Lazy<int>(QueryCount);
        _mine = new SafeFileDescriptor?[64];
    }

    /// <summary>What GET_IRQ_NUM reported; 0 when the feature is absent (the ioctl fails) or has none.</summary>
    public int Count => _count.Value;

    /// <summary>Why <see cref="Count"/> is 0, when the ioctl itself failed; null otherwise.</summary>
    internal string? CountFailure { get; private set; }

    public Status Attach(int vector, SafeFileDescriptor eventFd)
    {
        if ((uint)vector >= (uint)Math.Min(Count, _mine.Length))
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{_what} vector {vector} does not exist: the driver reports {Count}");
        }

        if (!_claims.TryClaim(_claimKey, vector, eventFd))
        {
            return Status.Fail(FpgaResult.Busy, $"{_what} vector {vector} already signals another event handle of this process");
        }

        var status = SetTrigger(vector, eventFd);
        if (!status.IsOk)
        {
            _claims.Release(_claimKey, vector, eventFd);
            return status;
        }

        Volatile.Write(ref _mine[vector], eventFd);
        return Status.Ok;
    }

    public Status Detach(int vector)
    {
        if ((uint)vector >= (uint)_mine.Length || Interlocked.Exchange(ref _mine[vector], null) is not { } eventFd)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{_what} vector {vector} has no event attached through this handle");
        }

        var status = SetTrigger(vector, null);
        _claims.Release(_claimKey, vector, eventFd);
        return status;
    }

    private unsafe int QueryCount()
    {
        uint count = 0;
        if (_kernel.Ioctl(_node, _getCount, (nint)(&count), out var errno) < 0)
        {
            // Kernels older than 5.10, or a card without the feature, reject the request.
            CountFailure = $"GET_IRQ_NUM failed: {Libc.StrError(errno)} ({errno})";
            return 0;
        }

        return (int)Math.Min(count, int.MaxValue);
    }

    /// <summary>One SET_IRQ for one vector: <c>{start, count = 1, evtfds = {fd or -1}}</c>.</summary>
    private unsafe Status SetTrigger(int vector, SafeFileDescriptor? eventFd)
    {
        var added = false;
        try
        {
            eventFd?.DangerousAddRef(ref added);
            var argument = stackalloc byte[sizeof(DflApi.dfl_fpga_irq_set) + sizeof(int)];
            var set = (DflApi.dfl_fpga_irq_set*)argument;
            set->start = (uint)vector;
            set->count = 1;
            *(int*)(argument + sizeof(DflApi.dfl_fpga_irq_set)) = eventFd?.Value ?? -1;
            return _kernel.Ioctl(_node, _set, (nint)argument, out var errno) < 0
                ? KernelErrors.Failure($"{(eventFd is null ? "unbinding" : "binding an eventfd to")} {_what} vector {vector}", errno)
                : Status.Ok;
        }
        finally
        {
            if (added)
            {
                eventFd!.DangerousRelease();
            }
        }
    }
}

/// <summary>
/// Which DFL interrupt vectors this process has bound an eventfd to, per device node and feature.
/// One per backend: the driver has one eventfd per vector however many handles are open.
/// </summary>
internal sealed class DflInterruptClaims
{
    private readonly ConcurrentDictionary<(string Key, int Vector), SafeFileDescriptor> _bound = new();

    internal bool TryClaim(string key, int vector, SafeFileDescriptor eventFd) => _bound.TryAdd((key, vector), eventFd);

    internal void Release(string key, int vector, SafeFileDescriptor eventFd) =>
        _bound.TryRemove(new KeyValuePair<(string, int), SafeFileDescriptor>((key, vector), eventFd));
}
