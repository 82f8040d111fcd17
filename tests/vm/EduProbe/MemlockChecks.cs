namespace OpaeSharp.VmTests;

/// <summary>
/// Under a small RLIMIT_MEMLOCK (set by the guest's /init before it starts this program as an
/// ordinary user, who has no CAP_IPC_LOCK to bypass it), running out of lockable memory is
/// FPGA_NO_MEMORY with a message that names the limit, and leaves nothing pinned.
/// </summary>
/// <remarks>
/// Two places can refuse: our own pin (mlock) of the buffer, and VFIO's pin of the same pages when
/// it maps them for the device. The kernel charges both to the process, so a buffer that fits the
/// limit once but not twice passes the first and is refused by the second.
/// </remarks>
internal sealed class MemlockChecks(EduTarget target, Report report)
{
    internal void Run()
    {
        var limit = KernelView.MemlockLimit();
        if (limit is null or 0 or > 1 << 20)
        {
            report.Run("limit.memlock", () => throw new CheckFailedException($"expected a small RLIMIT_MEMLOCK, found {limit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"}"));
            return;
        }

        var bytes = limit.Value;
        var twice = RoundUp(bytes * 2);
        var onceNotTwice = bytes * 2 / 3 / 4096 * 4096;
        report.Run("limit.memlock_our_pin_is_no_memory", () => Refused(bytes, twice, preallocated: false));
        report.Run("limit.memlock_vfio_pin_is_no_memory", () => Refused(bytes, onceNotTwice, preallocated: false));
        report.Run("limit.memlock_vfio_pin_is_no_memory_preallocated", () => Refused(bytes, onceNotTwice, preallocated: true));
        report.Run("limit.memlock_buffer_within_limit_works", () => WithinLimit(bytes));
    }

    private string Refused(long limit, long size, bool preallocated)
    {
        using var memory = preallocated ? new CallerMemory((int)size) : null;
        using var accelerator = target.Open();
        var before = KernelView.LockedBytes();
        try
        {
            using var buffer = preallocated
                ? accelerator.AttachBuffer(memory!.Address, size, BufferFlags.Quiet)
                : accelerator.PrepareBuffer(size, BufferFlags.Quiet);
            throw new CheckFailedException($"a {size >> 10} KiB buffer was prepared under a {limit >> 10} KiB locked-memory limit");
        }
        catch (OpaeException e)
        {
            CheckFailedException.Unless(e.Result == FpgaResult.NoMemory, $"failed with {e.Result}, not NO_MEMORY: {e.Message}");
            CheckFailedException.Unless(
                e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("RLIMIT_MEMLOCK", StringComparison.Ordinal),
                $"the NO_MEMORY message does not say that locked memory ran out: {e.Message}");
            var after = KernelView.LockedBytes();
            CheckFailedException.Unless(after == before, $"locked memory went {before >> 10} -> {after >> 10} KiB across the failed prepare: something stayed pinned");
            return $"{size >> 10} KiB under a {limit >> 10} KiB limit: NO_MEMORY \"{e.Message}\", nothing left pinned";
        }
    }

    private string WithinLimit(long limit)
    {
        var size = Math.Max(4096, limit / 4 / 4096 * 4096);
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        using var source = accelerator.PrepareBuffer(size);
        using var destination = accelerator.PrepareBuffer(size);
        Random.Shared.NextBytes(source.Span);
        edu.FromHost(source.IoAddress, Edu.MaxTransfer);
        edu.ToHost(destination.IoAddress, Edu.MaxTransfer);
        CheckFailedException.Unless(destination.Span[..Edu.MaxTransfer].SequenceEqual(source.Span[..Edu.MaxTransfer]), "round trip through buffers within the limit failed");
        return $"two {size >> 10} KiB buffers under a {limit >> 10} KiB limit: round trip ok";
    }

    private static long RoundUp(long bytes) => (bytes + 4095) / 4096 * 4096;
}
