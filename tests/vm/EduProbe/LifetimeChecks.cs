namespace OpaeSharp.VmTests;

/// <summary>
/// What the kernel holds for us goes away when we say so: released buffers leave no mapping in the
/// VFIO container, the container's mapping limit is reported as FPGA_NO_MEMORY, and closing a
/// handle with buffers still prepared unpins and unmaps all of them.
/// </summary>
/// <remarks>
/// VFIO type1 has no call that returns its mapping count, but it refuses mapping number
/// dma_entry_limit + 1 of a container: filling the container to that point counts the live
/// mappings. Locked memory is the other count: the kernel charges both our mlock and VFIO's pins to
/// the process's VmLck.
/// </remarks>
internal sealed class LifetimeChecks(EduTarget target, Report report)
{
    internal void Run()
    {
        report.Run("release.kernel_mapping_count_back_to_zero", MappingCountBackToZero);
        report.Run("limit.dma_entry_limit_is_no_memory", EntryLimitIsNoMemory);
        report.Run("close.releases_every_buffer", CloseReleasesEverything);
    }

    private string MappingCountBackToZero()
    {
        var limit = KernelView.DmaEntryLimit();
        using var accelerator = target.Open();
        var earlier = new List<SharedBuffer>();
        for (var i = 0; i < 5; i++)
        {
            earlier.Add(accelerator.PrepareBuffer(4096));
        }

        foreach (var buffer in earlier)
        {
            buffer.Dispose();
        }

        var fitted = Fill(accelerator, limit + 1, out var held, out var failure);
        ReleaseAll(held);
        CheckFailedException.Unless(
            fitted == limit,
            $"after releasing 5 buffers the container took {fitted} new mappings, not dma_entry_limit={limit} (mapping {fitted + 1}: {failure?.Message})");
        return $"after 5 prepares and 5 releases the container took all {limit} (dma_entry_limit) mappings again";
    }

    private string EntryLimitIsNoMemory()
    {
        var limit = KernelView.DmaEntryLimit();
        using var accelerator = target.Open();
        var fitted = Fill(accelerator, limit + 1, out var held, out var failure);
        try
        {
            CheckFailedException.Unless(failure is not null, $"{fitted} buffers prepared, none refused, with dma_entry_limit={limit}");
            CheckFailedException.Unless(
                failure!.Result == FpgaResult.NoMemory,
                $"buffer {fitted + 1} failed with {failure.Result}, not NO_MEMORY: {failure.Message}");
            CheckFailedException.Unless(
                failure.Message.Contains("dma_entry_limit", StringComparison.Ordinal),
                $"the NO_MEMORY message does not name dma_entry_limit: {failure.Message}");

            // The limit counts live mappings: one released, one more fits.
            held[0].Dispose();
            held.RemoveAt(0);
            held.Add(accelerator.PrepareBuffer(4096));
            return $"buffer {fitted + 1} of dma_entry_limit={limit}: NO_MEMORY \"{failure.Message}\"";
        }
        finally
        {
            ReleaseAll(held);
        }
    }

    private string CloseReleasesEverything()
    {
        using var memory = new CallerMemory(64 << 10);
        Random.Shared.NextBytes(memory.Span);
        var contents = memory.Span.ToArray();
        var baseline = KernelView.LockedBytes();

        var accelerator = target.Open();
        var buffers = new[]
        {
            accelerator.PrepareBuffer(64 << 10),
            accelerator.PrepareBuffer(2 << 20),
            accelerator.PrepareBuffer(4096, BufferFlags.ReadOnly),
            accelerator.AttachBuffer(memory.Address, memory.Length),
        };
        var whileOpen = KernelView.LockedBytes();
        accelerator.Dispose();
        var afterClose = KernelView.LockedBytes();

        CheckFailedException.Unless(
            whileOpen - baseline >= (64 << 10) + 4096 + memory.Length,
            $"locked memory rose by only {(whileOpen - baseline) >> 10} KiB with {buffers.Length} buffers prepared");
        CheckFailedException.Unless(
            afterClose == baseline,
            $"locked memory is {afterClose >> 10} KiB after close, {baseline >> 10} KiB before open: pins or mappings were left behind");
        CheckFailedException.Unless(buffers.All(b => b.IsReleased), "a buffer does not report itself released after close");
        CheckFailedException.Unless(memory.Span.SequenceEqual(contents), "close changed the contents of the caller's preallocated memory");
        return $"{buffers.Length} buffers left prepared; locked memory {baseline >> 10} -> {whileOpen >> 10} -> {afterClose >> 10} KiB across open/close; caller's memory intact";
    }

    /// <summary>Prepares 4 KiB buffers until one fails or <paramref name="max"/> are held; returns how many succeeded.</summary>
    private static int Fill(Accelerator accelerator, int max, out List<SharedBuffer> held, out OpaeException? failure)
    {
        held = [];
        failure = null;
        while (held.Count < max)
        {
            try
            {
                held.Add(accelerator.PrepareBuffer(4096, BufferFlags.Quiet));
            }
            catch (OpaeException e)
            {
                failure = e;
                break;
            }
        }

        return held.Count;
    }

    private static void ReleaseAll(List<SharedBuffer> buffers)
    {
        foreach (var buffer in buffers)
        {
            buffer.Dispose();
        }

        buffers.Clear();
    }
}
