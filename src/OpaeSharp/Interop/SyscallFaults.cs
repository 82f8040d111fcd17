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

    /// <summary>Fail the (<paramref name="skip"/>+1)th next call of <paramref name="call"/> with <paramref name="errno"/>.</summary>
    internal static IDisposable Inject(Syscall call, Errno errno, int skip = 0)
    {
        var plan = new Plan(call, errno, skip, s_plan.Value);
        s_plan.Value = plan;
        return plan;
    }

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
