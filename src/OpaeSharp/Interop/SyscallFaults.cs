namespace OpaeSharp.Interop;

/// <summary>The system calls whose failure tests can inject.</summary>
internal enum Syscall
{
    Mmap,
    Munmap,
    Mlock,
    Munlock,
    Madvise,
    Msync,
    Open,
    Ioctl,
}

/// <summary>
/// The failure seam of the interop layer: a test makes the Nth next call of one syscall fail with
/// a chosen errno, to prove every step above it is undone. The plan flows with the async context,
/// so tests running in parallel do not see each other's faults, and costs one read when unused.
/// </summary>
internal static class SyscallFaults
{
    private static readonly AsyncLocal<Plan?> s_plan = new();
    private static readonly AsyncLocal<MappingTrace?> s_trace = new();

    /// <summary>Fail the (<paramref name="skip"/>+1)th next call of <paramref name="call"/> with <paramref name="errno"/>.</summary>
    internal static IDisposable Inject(Syscall call, Errno errno, int skip = 0)
    {
        var plan = new Plan(call, errno, skip, s_plan.Value);
        s_plan.Value = plan;
        return plan;
    }

    /// <summary>
    /// Records the mappings made and removed in this async context until disposed, so a test can
    /// prove a failed call unmapped exactly what it mapped (counting /proc/self/maps is noisy: the
    /// runtime maps code of its own at any time).
    /// </summary>
    internal static MappingTrace TraceMappings()
    {
        var trace = new MappingTrace(s_trace.Value, static outer => s_trace.Value = outer);
        s_trace.Value = trace;
        return trace;
    }

    internal static void OnMapped(nint address, nuint length) => s_trace.Value?.Add(address, length, mapped: true);

    internal static void OnUnmapped(nint address, nuint length) => s_trace.Value?.Add(address, length, mapped: false);

    internal static bool ShouldFail(Syscall call, out Errno errno)
    {
        for (var plan = s_plan.Value; plan is not null; plan = plan.Outer)
        {
            if (plan.Call == call && plan.TryFire())
            {
                errno = plan.Errno;
                return true;
            }
        }

        errno = Errno.None;
        return false;
    }

    private sealed class Plan(Syscall call, Errno errno, int skip, Plan? outer) : IDisposable
    {
        private int _remaining = skip;
        private int _fired;

        public Syscall Call { get; } = call;

        public Errno Errno { get; } = errno;

        public Plan? Outer { get; } = outer;

        public bool TryFire()
        {
            if (Interlocked.Decrement(ref _remaining) >= 0)
            {
                return false;
            }

            return Interlocked.Exchange(ref _fired, 1) == 0;
        }

        public void Dispose() => s_plan.Value = Outer;
    }
}

/// <summary>The mmap and munmap calls of one traced scope (see <see cref="SyscallFaults.TraceMappings"/>).</summary>
internal sealed class MappingTrace(MappingTrace? outer, Action<MappingTrace?> restore) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<(nint Address, nuint Length)> _live = [];

    /// <summary>Mappings made in the scope and not yet removed.</summary>
    internal IReadOnlyList<(nint Address, nuint Length)> Live
    {
        get
        {
            lock (_lock)
            {
                return [.. _live];
            }
        }
    }

    /// <summary>How many mappings the scope made.</summary>
    internal int Mapped { get; private set; }

    public void Dispose() => restore(outer);

    internal void Add(nint address, nuint length, bool mapped)
    {
        lock (_lock)
        {
            if (mapped)
            {
                Mapped++;
                _live.Add((address, length));
            }
            else
            {
                _live.Remove((address, length));
            }
        }
    }
}
