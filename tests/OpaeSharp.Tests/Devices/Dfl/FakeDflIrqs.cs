using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>
/// One DFL private feature's interrupts as the driver handles them: GET_IRQ_NUM writes the count
/// to a __u32, SET_IRQ reads struct dfl_fpga_irq_set {__u32 start; __u32 count; __s32 evtfds[count]}
/// at the header's offsets, binds each eventfd (a negative one unbinds), and rejects a range past
/// the count with EINVAL. <see cref="Raise"/> is the device raising a vector: it adds 1 to the
/// bound eventfd, as the driver's interrupt handler does.
/// </summary>
internal sealed class FakeDflIrqs(int count)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, int> _bound = [];

    internal int Count { get; set; } = count;

    /// <summary>The errno GET_IRQ_NUM fails with (a kernel or card without the feature), or None.</summary>
    internal Errno CountFails { get; set; }

    internal IReadOnlyDictionary<int, int> Bound
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<int, int>(_bound);
            }
        }
    }

    /// <summary>The recorded size of a SET_IRQ argument: the header and its eventfds.</summary>
    internal static int SetSize(nint arg) => 8 + (4 * (int)Math.Min(FakeNode.U32(arg, 4), 64u));

    internal int GetCount(nint arg, out Errno errno)
    {
        errno = CountFails;
        if (errno != Errno.None)
        {
            return -1;
        }

        FakeNode.Put(arg, 0, (uint)Count);
        return 0;
    }

    internal unsafe int Set(nint arg, out Errno errno)
    {
        var start = FakeNode.U32(arg, 0);
        var n = FakeNode.U32(arg, 4);
        if ((ulong)start + n > (ulong)Count)
        {
            errno = Errno.EINVAL;
            return -1;
        }

        lock (_lock)
        {
            for (var i = 0u; i < n; i++)
            {
                var fd = *(int*)(arg + 8 + (nint)(4 * i));
                if (fd < 0)
                {
                    _bound.Remove((int)(start + i));
                }
                else
                {
                    _bound[(int)(start + i)] = fd;
                }
            }
        }

        errno = Errno.None;
        return 0;
    }

    /// <summary>The device raises <paramref name="vector"/>; false when no eventfd is bound to it.</summary>
    internal bool Raise(int vector)
    {
        int fd;
        lock (_lock)
        {
            if (!_bound.TryGetValue(vector, out fd))
            {
                return false;
            }
        }

        // The driver holds its own reference to the eventfd; the test keeps it open while raising.
        using var target = new SafeFileDescriptor(fd, _ => Errno.None);
        return LinuxKernel.Instance.Write(target, BitConverter.GetBytes(1UL), out _) == Errno.None;
    }

    /// <summary>The driver drops every binding when the device's last user closes it.</summary>
    internal void Clear()
    {
        lock (_lock)
        {
            _bound.Clear();
        }
    }
}
