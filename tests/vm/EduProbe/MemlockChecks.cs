namespace OpaeSharp.VmTests;

/// <summary>
/// Under a small RLIMIT_MEMLOCK (set by the guest's /init before it starts this program as an
/// ordinary user, who has no CAP_IPC_LOCK to bypass it): buffers add up to the limit, as with OPAE,
/// because only VFIO pins them (the library locks nothing itself on this backend); past the limit
/// preparing is FPGA_NO_MEMORY with a message that names it, and leaves nothing pinned.
/// </summary>
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
        report.Run("limit.memlock_over_the_limit_is_no_memory", () => Refused(bytes, RoundUp(bytes * 2), preallocated: false));
        report.Run("limit.memlock_over_the_limit_is_no_memory_preallocated", () => Refused(bytes, RoundUp(bytes * 2), preallocated: true));
        report.Run("limit.memlock_buffers_add_up_to_the_limit", () => UpToTheLimit(bytes, preallocated: false));
        report.Run("limit.memlock_buffers_add_up_to_the_limit_preallocated", () => UpToTheLimit(bytes, preallocated: true));
    }

    private string Refused(long limit, long size, bool preallocated)
    {
        using var memory = preallocated ? new CallerMemory((int)size) : null;
        using var accelerator = target.Open();
        var before = KernelView.LockedBytes();
        try
        {
            using var buffer = Prepare(accelerator, memory, size);
            throw new CheckFailedException($"a {size >> 10} KiB buffer was prepared under a {limit >> 10} KiB locked-memory limit");
        }
        catch (OpaeException e)
        {
            CheckNoMemory(e, before);
            return $"{size >> 10} KiB under a {limit >> 10} KiB limit: NO_MEMORY \"{e.Message}\", nothing left pinned";
        }
    }

    /// <summary>
    /// Buffers totalling most of the limit work and carry data; one more past it is refused. With a
    /// second, library-made lock on every page (what VFIO users had before) the first buffers alone
    /// would have needed twice the limit.
    /// </summary>
    private string UpToTheLimit(long limit, bool preallocated)
    {
        var first = RoundDown(limit * 2 / 3);
        var second = RoundDown(limit - first - 8192);
        using var memory = preallocated ? new CallerMemory((int)(first + second)) : null;
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        var baseline = KernelView.LockedBytes();
        using var source = Prepare(accelerator, memory, first);
        using var destination = preallocated
            ? accelerator.AttachBuffer(memory!.Address + (nint)first, second, BufferFlags.Quiet)
            : accelerator.PrepareBuffer(second, BufferFlags.Quiet);
        var held = KernelView.LockedBytes() - baseline;
        CheckFailedException.Unless(held == first + second, $"{first + second >> 10} KiB of buffers charge {held >> 10} KiB of locked memory: pages are pinned more than once");

        var length = (int)Math.Min(Edu.MaxTransfer, second);
        Random.Shared.NextBytes(source.Span);
        edu.FromHost(source.IoAddress, length);
        edu.ToHost(destination.IoAddress, length);
        CheckFailedException.Unless(destination.Span[..length].SequenceEqual(source.Span[..length]), "round trip through buffers within the limit failed");

        var before = KernelView.LockedBytes();
        try
        {
            using var more = accelerator.PrepareBuffer(RoundUp(limit - first - second + 4096), BufferFlags.Quiet);
            throw new CheckFailedException("a buffer past the locked-memory limit was prepared");
        }
        catch (OpaeException e)
        {
            CheckNoMemory(e, before);
        }

        return $"{first >> 10} + {second >> 10} KiB of {(preallocated ? "caller" : "library")} memory under a {limit >> 10} KiB limit: charged once ({held >> 10} KiB), round trip ok, the next buffer NO_MEMORY";
    }

    private static SharedBuffer Prepare(Accelerator accelerator, CallerMemory? memory, long size) =>
        memory is null
            ? accelerator.PrepareBuffer(size, BufferFlags.Quiet)
            : accelerator.AttachBuffer(memory.Address, size, BufferFlags.Quiet);

    private static void CheckNoMemory(OpaeException e, long lockedBefore)
    {
        CheckFailedException.Unless(e.Result == FpgaResult.NoMemory, $"failed with {e.Result}, not NO_MEMORY: {e.Message}");
        CheckFailedException.Unless(
            e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("RLIMIT_MEMLOCK", StringComparison.Ordinal),
            $"the NO_MEMORY message does not say that locked memory ran out: {e.Message}");
        var after = KernelView.LockedBytes();
        CheckFailedException.Unless(after == lockedBefore, $"locked memory went {lockedBefore >> 10} -> {after >> 10} KiB across the failed prepare: something stayed pinned");
    }

    private static long RoundUp(long bytes) => (bytes + 4095) / 4096 * 4096;

    private static long RoundDown(long bytes) => bytes / 4096 * 4096;
}
