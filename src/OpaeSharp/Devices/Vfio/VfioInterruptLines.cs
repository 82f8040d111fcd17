using OpaeSharp.Devices.Kernel;
using OpaeSharp.Interop;
using VfioApi = OpaeSharp.Interop.Vfio;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// The MSI-X vectors of a vfio-pci function, or its MSI vectors when it has no MSI-X (QEMU's edu),
/// each signalling an eventfd through VFIO_DEVICE_SET_IRQS (DATA_EVENTFD | ACTION_TRIGGER).
/// </summary>
/// <remarks>
/// vfio-pci enables MSI/MSI-X for as many vectors as the first SET_IRQS names and refuses vectors
/// beyond them later, so the first binding enables every vector the function has (the others
/// with -1: enabled, signalling nothing); later bindings change one vector; unbinding the last
/// disables MSI/MSI-X again (DATA_NONE, count 0), so the device stops sending them. One session
/// serves every shared handle of the function, so vectors are shared by them. Thread-safe: a lock
/// orders the SET_IRQS calls, which only bind eventfds to IRQs the kernel allocates and never wait
/// for the device.
/// </remarks>
internal sealed class VfioInterruptLines : IInterruptLines
{
    private readonly IKernel _kernel;
    private readonly SafeFileDescriptor _device;
    private readonly string _address;
    private readonly Lock _lock = new();
    private readonly Lazy<(uint Index, int Count)> _irqs;
    private SafeFileDescriptor?[] _bound = [];
    private bool _enabled;

    internal VfioInterruptLines(IKernel kernel, SafeFileDescriptor device, string address)
    {
        _kernel = kernel;
        _device = device;
        _address = address;
        _irqs = new Lazy<(uint, int)>(Query);
    }

    public int Count => _irqs.Value.Count;

    /// <summary>VFIO_PCI_MSIX_IRQ_INDEX or VFIO_PCI_MSI_IRQ_INDEX: what the vectors are.</summary>
    internal uint Index => _irqs.Value.Index;

    private string Kind => Index == VfioApi.VFIO_PCI_MSIX_IRQ_INDEX ? "MSI-X" : "MSI";

    public Status Attach(int vector, SafeFileDescriptor eventFd)
    {
        var (index, count) = _irqs.Value;
        if ((uint)vector >= (uint)count)
        {
            return Status.Fail(FpgaResult.InvalidParam, count == 0
                ? $"{_address} has no MSI or MSI-X vector that can signal an eventfd"
                : $"{_address} has no {Kind} vector {vector}: it has {count}");
        }

        lock (_lock)
        {
            if (_bound[vector] is not null)
            {
                return Status.Fail(FpgaResult.Busy, $"{Kind} vector {vector} of {_address} already signals another event handle");
            }

            var status = _enabled
                ? SetIrqs(index, vector, [eventFd])
                : SetIrqs(index, 0, [.. Enumerable.Range(0, count).Select(v => v == vector ? eventFd : null)]);
            if (!status.IsOk)
            {
                return status;
            }

            _enabled = true;
            _bound[vector] = eventFd;
            return Status.Ok;
        }
    }

    public Status Detach(int vector)
    {
        lock (_lock)
        {
            if ((uint)vector >= (uint)_bound.Length || _bound[vector] is null)
            {
                return Status.Fail(FpgaResult.InvalidParam, $"{Kind} vector {vector} of {_address} has no event attached");
            }

            _bound[vector] = null;
            if (_bound.Any(fd => fd is not null))
            {
                return SetIrqs(Index, vector, [null]);
            }

            _enabled = false;
            return Disable();
        }
    }

    private unsafe (uint Index, int Count) Query()
    {
        foreach (var index in (uint[])[VfioApi.VFIO_PCI_MSIX_IRQ_INDEX, VfioApi.VFIO_PCI_MSI_IRQ_INDEX])
        {
            var info = new VfioApi.vfio_irq_info { argsz = (uint)sizeof(VfioApi.vfio_irq_info), index = index };
            if (_kernel.Ioctl(_device, VfioApi.VFIO_DEVICE_GET_IRQ_INFO, (nint)(&info), out _) >= 0
                && (info.flags & VfioApi.VFIO_IRQ_INFO_EVENTFD) != 0 && info.count > 0)
            {
                var count = (int)Math.Min(info.count, 2048u);
                lock (_lock)
                {
                    _bound = new SafeFileDescriptor?[count];
                }

                return (index, count);
            }
        }

        return (VfioApi.VFIO_PCI_MSI_IRQ_INDEX, 0);
    }

    /// <summary>SET_IRQS with DATA_EVENTFD for vectors <paramref name="start"/>.. (null: -1, signal nothing).</summary>
    private unsafe Status SetIrqs(uint index, int start, SafeFileDescriptor?[] fds)
    {
        var size = sizeof(VfioApi.vfio_irq_set) + (fds.Length * sizeof(int));
        var buffer = new byte[size];
        var added = new bool[fds.Length];
        try
        {
            fixed (byte* p = buffer)
            {
                var set = (VfioApi.vfio_irq_set*)p;
                set->argsz = (uint)size;
                set->flags = VfioApi.VFIO_IRQ_SET_DATA_EVENTFD | VfioApi.VFIO_IRQ_SET_ACTION_TRIGGER;
                set->index = index;
                set->start = (uint)start;
                set->count = (uint)fds.Length;
                var data = (int*)(p + sizeof(VfioApi.vfio_irq_set));
                for (var i = 0; i < fds.Length; i++)
                {
                    fds[i]?.DangerousAddRef(ref added[i]);
                    data[i] = fds[i]?.Value ?? -1;
                }

                return _kernel.Ioctl(_device, VfioApi.VFIO_DEVICE_SET_IRQS, (nint)p, out var errno) < 0
                    ? KernelErrors.Failure($"VFIO_DEVICE_SET_IRQS ({Kind} vectors {start}..{start + fds.Length - 1}) on {_address}", errno)
                    : Status.Ok;
            }
        }
        finally
        {
            for (var i = 0; i < fds.Length; i++)
            {
                if (added[i])
                {
                    fds[i]!.DangerousRelease();
                }
            }
        }
    }

    private unsafe Status Disable()
    {
        var set = new VfioApi.vfio_irq_set
        {
            argsz = (uint)sizeof(VfioApi.vfio_irq_set),
            flags = VfioApi.VFIO_IRQ_SET_DATA_NONE | VfioApi.VFIO_IRQ_SET_ACTION_TRIGGER,
            index = Index,
            start = 0,
            count = 0,
        };
        return _kernel.Ioctl(_device, VfioApi.VFIO_DEVICE_SET_IRQS, (nint)(&set), out var errno) < 0
            ? KernelErrors.Failure($"disabling {Kind} on {_address} (VFIO_DEVICE_SET_IRQS, DATA_NONE)", errno)
            : Status.Ok;
    }
}
