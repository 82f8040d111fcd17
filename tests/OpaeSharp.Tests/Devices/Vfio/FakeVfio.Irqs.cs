using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Vfio;

/// <summary>
/// vfio-pci's interrupts as the kernel handles them (vfio_pci_intrs.c): GET_IRQ_INFO reports each
/// index's count and flags; SET_IRQS with DATA_EVENTFD | ACTION_TRIGGER on MSI or MSI-X enables it
/// for start + count vectors when nothing is enabled, binds each eventfd (-1 unbinds), refuses a
/// range past what is enabled or past the capability, and another index while one is enabled;
/// DATA_NONE | ACTION_TRIGGER with count 0 disables it. Closing the device disables everything.
/// </summary>
internal sealed partial class FakeVfio
{
    private const uint DeviceGetIrqInfo = (Type << 8) | 109;
    private const uint DeviceSetIrqs = (Type << 8) | 110;
    private const uint Msi = 1;
    private const uint Msix = 2;

    private readonly Dictionary<int, int> _irqBound = [];
    private uint? _irqIndex;
    private int _irqEnabled;

    /// <summary>MSI vectors the function's capability offers (edu: 1).</summary>
    internal int MsiCount { get; set; }

    /// <summary>MSI-X vectors the function's capability offers (an OFS card: several).</summary>
    internal int MsixCount { get; set; } = 4;

    /// <summary>The index enabled (1 MSI, 2 MSI-X) and how many vectors, or null.</summary>
    internal (uint Index, int Vectors)? IrqsEnabled
    {
        get
        {
            lock (_lock)
            {
                return _irqIndex is { } index ? (index, _irqEnabled) : null;
            }
        }
    }

    internal IReadOnlyDictionary<int, int> IrqBound
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<int, int>(_irqBound);
            }
        }
    }

    /// <summary>The device sends vector <paramref name="vector"/>; false when the kernel has no eventfd for it.</summary>
    internal bool RaiseIrq(int vector)
    {
        int fd;
        lock (_lock)
        {
            if (!_irqBound.TryGetValue(vector, out fd))
            {
                return false;
            }
        }

        using var target = new SafeFileDescriptor(fd, _ => Errno.None);
        return LinuxKernel.Instance.Write(target, BitConverter.GetBytes(1UL), out _) == Errno.None;
    }

    private int CountOf(uint index) => index switch
    {
        0 => 1,
        Msi => MsiCount,
        Msix => MsixCount,
        _ => 0,
    };

    private int GetIrqInfo(nint arg, out Errno errno)
    {
        var index = U32(arg, 8);
        if (U32(arg, 0) < 16 || index > 4)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        // INTx: eventfd, maskable, automasked; MSI/MSI-X: eventfd, no resize.
        Put(arg, 4, index == 0 ? 0b111u : index is Msi or Msix ? 0b1001u : 0b1u);
        Put(arg, 12, (uint)CountOf(index));
        errno = Errno.None;
        return 0;
    }

    private unsafe int SetIrqs(nint arg, out Errno errno)
    {
        var argsz = U32(arg, 0);
        var flags = U32(arg, 4);
        var index = U32(arg, 8);
        var start = U32(arg, 12);
        var count = U32(arg, 16);
        const uint DataNone = 1, DataEventfd = 4, ActionTrigger = 32;
        if (index is not (Msi or Msix) || (flags & ActionTrigger) == 0)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        lock (_lock)
        {
            if (flags == (DataNone | ActionTrigger) && count == 0)
            {
                if (_irqIndex != index)
                {
                    return Fail(Errno.EINVAL, out errno);
                }

                _irqIndex = null;
                _irqEnabled = 0;
                _irqBound.Clear();
                errno = Errno.None;
                return 0;
            }

            var max = (uint)CountOf(index);
            if (flags != (DataEventfd | ActionTrigger) || count == 0 || argsz < 20 + (4 * count) || start >= max || start + count > max)
            {
                return Fail(Errno.EINVAL, out errno);
            }

            if (_irqIndex is null)
            {
                _irqIndex = index;
                _irqEnabled = (int)(start + count);
            }
            else if (_irqIndex != index || start + count > _irqEnabled)
            {
                return Fail(Errno.EINVAL, out errno);
            }

            for (var i = 0u; i < count; i++)
            {
                var fd = *(int*)(arg + 20 + (nint)(4 * i));
                if (fd < 0)
                {
                    _irqBound.Remove((int)(start + i));
                }
                else
                {
                    _irqBound[(int)(start + i)] = fd;
                }
            }
        }

        errno = Errno.None;
        return 0;
    }

    private void CloseIrqs()
    {
        lock (_lock)
        {
            _irqIndex = null;
            _irqEnabled = 0;
            _irqBound.Clear();
        }
    }
}
