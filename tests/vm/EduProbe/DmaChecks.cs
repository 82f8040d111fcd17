namespace OpaeSharp.VmTests;

/// <summary>
/// Data really moves between host memory and the device through the IO addresses our VFIO backend
/// chose, and the IOMMU enforces what we asked: read-only stays read-only, released stays released.
/// </summary>
internal sealed class DmaChecks(EduTarget target, Report report)
{
    private const byte Canary = 0x5a;

    internal void Run()
    {
        report.Run("edu.bar0_mapped_through_vfio", Bar0);
        foreach (var size in (int[])[4096, 64 << 10, 2 << 20, 3 << 20])
        {
            report.Run($"dma.round_trip.allocated_{SizeName(size)}", () => RoundTripAllocated(size));
        }

        foreach (var size in (int[])[4096, 64 << 10, 1 << 20])
        {
            report.Run($"dma.round_trip.preallocated_{SizeName(size)}", () => RoundTripPreallocated(size));
        }

        report.Run("dma.read_only.device_can_read", ReadOnlyIsReadable);
        report.Run("dma.read_only.device_cannot_write", ReadOnlyIsNotWritable);
        report.Run("dma.released_io_address_no_longer_reaches_memory", ReleasedIsUnreachable);
    }

    private string Bar0()
    {
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        var id = edu.ReadIdentification();
        CheckFailedException.Unless((id & 0xff) == 0xed, $"identification register reads 0x{id:x8}, not 0xRRrr00ed");
        const uint probe = 0x1234_5678;
        var echoed = edu.Echo(probe);
        CheckFailedException.Unless(echoed == ~probe, $"liveness register returned 0x{echoed:x8} for 0x{probe:x8}, not its inverse");
        var size = accelerator.GetMmioSize(0);
        CheckFailedException.Unless(size == 1 << 20, $"BAR0 is {size} bytes, edu's is 1 MiB");
        var mapped = accelerator.MapMmio(0);
        CheckFailedException.Unless(mapped != 0, "BAR0 is not mapped into the process (MapMmio returned 0)");
        return $"edu version {id >> 24}.{(id >> 16) & 0xff}, BAR0 {size >> 10} KiB mapped at 0x{mapped:x}";
    }

    private string RoundTripAllocated(int size)
    {
        using var accelerator = target.Open();
        using var source = accelerator.PrepareBuffer(size);
        using var destination = accelerator.PrepareBuffer(size);
        return RoundTrip(new Edu(accelerator), source, destination);
    }

    private string RoundTripPreallocated(int size)
    {
        using var sourceMemory = new CallerMemory(size);
        using var destinationMemory = new CallerMemory(size);
        using var accelerator = target.Open();
        using var source = accelerator.AttachBuffer(sourceMemory.Address, size);
        using var destination = accelerator.AttachBuffer(destinationMemory.Address, size);
        return RoundTrip(new Edu(accelerator), source, destination);
    }

    /// <summary>
    /// Host → device → host through two buffers, at the start, at an unaligned offset in the middle
    /// and at the very end of the buffers, so every part of the mapping is exercised. Fresh random
    /// data each time, so a transfer that silently did not happen cannot pass on stale bytes.
    /// </summary>
    private static string RoundTrip(Edu edu, SharedBuffer source, SharedBuffer destination)
    {
        CheckWithinDmaMask(source);
        CheckWithinDmaMask(destination);
        var length = (int)source.Length;
        (int Offset, int Count)[] windows = [(0, Edu.MaxTransfer), (length / 2 + 123, 1000), (length - Edu.MaxTransfer, Edu.MaxTransfer)];
        foreach (var (offset, count) in windows)
        {
            Random.Shared.NextBytes(source.GetSpan(offset, count));
            destination.Fill(Canary);
            edu.FromHost(source.IoAddress + (ulong)offset, count);
            edu.ToHost(destination.IoAddress + (ulong)offset, count);

            var sent = source.GetSpan(offset, count);
            var received = destination.GetSpan(offset, count);
            var differs = sent.CommonPrefixLength(received);
            if (differs != count)
            {
                throw new CheckFailedException(
                    $"{count} bytes at offset {offset}: byte {differs} came back 0x{received[differs]:x2}, sent 0x{sent[differs]:x2} (IO addresses 0x{source.IoAddress:x}, 0x{destination.IoAddress:x})");
            }

            CheckFailedException.Unless(
                destination.Span[..offset].IndexOfAnyExcept(Canary) < 0 && destination.Span[(offset + count)..].IndexOfAnyExcept(Canary) < 0,
                $"the device wrote outside the {count} bytes at offset {offset}");
        }

        return $"{windows.Length} round trips, IO addresses 0x{source.IoAddress:x} and 0x{destination.IoAddress:x}, {source.PageSize >> 10} KiB pages";
    }

    private string ReadOnlyIsReadable()
    {
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        using var readOnly = accelerator.PrepareBuffer(4096, BufferFlags.ReadOnly);
        using var writable = accelerator.PrepareBuffer(4096);
        CheckWithinDmaMask(readOnly);
        CheckWithinDmaMask(writable);
        Random.Shared.NextBytes(readOnly.Span);
        writable.Fill(Canary);
        edu.FromHost(readOnly.IoAddress, Edu.MaxTransfer);
        edu.ToHost(writable.IoAddress, Edu.MaxTransfer);
        CheckFailedException.Unless(
            writable.Span[..Edu.MaxTransfer].SequenceEqual(readOnly.Span[..Edu.MaxTransfer]),
            "the device did not read what the READ_ONLY buffer holds");
        return $"device read {Edu.MaxTransfer} bytes from READ_ONLY IO address 0x{readOnly.IoAddress:x}";
    }

    private string ReadOnlyIsNotWritable()
    {
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        using var readOnly = accelerator.PrepareBuffer(4096, BufferFlags.ReadOnly);
        using var data = accelerator.PrepareBuffer(4096);
        using var control = accelerator.PrepareBuffer(4096);
        CheckWithinDmaMask(readOnly);
        CheckWithinDmaMask(data);
        CheckWithinDmaMask(control);
        Random.Shared.NextBytes(data.Span);
        Random.Shared.NextBytes(readOnly.Span);
        var before = readOnly.Span.ToArray();
        edu.FromHost(data.IoAddress, Edu.MaxTransfer);

        // The same transfer into a writable buffer lands: the device is able, only the IOMMU can stop it.
        control.Fill(Canary);
        edu.ToHost(control.IoAddress, Edu.MaxTransfer);
        CheckFailedException.Unless(control.Span[..Edu.MaxTransfer].SequenceEqual(data.Span[..Edu.MaxTransfer]), "control transfer into a writable buffer did not land");

        edu.ToHost(readOnly.IoAddress, Edu.MaxTransfer);
        var changed = readOnly.Span.CommonPrefixLength(before);
        CheckFailedException.Unless(changed == before.Length, $"the device wrote into the READ_ONLY buffer (byte {changed} changed)");
        return $"write to READ_ONLY IO address 0x{readOnly.IoAddress:x} blocked by the IOMMU, memory unchanged";
    }

    private string ReleasedIsUnreachable()
    {
        using var memory = new CallerMemory(8192);
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        using var data = accelerator.PrepareBuffer(4096);
        using var readBack = accelerator.PrepareBuffer(4096);
        CheckWithinDmaMask(data);
        CheckWithinDmaMask(readBack);
        var buffer = accelerator.AttachBuffer(memory.Address, memory.Length);
        var ioAddress = buffer.IoAddress;
        CheckWithinDmaMask(buffer);

        // While prepared, the device reaches the memory at that IO address.
        Random.Shared.NextBytes(data.Span);
        edu.FromHost(data.IoAddress, Edu.MaxTransfer);
        edu.ToHost(ioAddress, Edu.MaxTransfer);
        CheckFailedException.Unless(memory.Span[..Edu.MaxTransfer].SequenceEqual(data.Span[..Edu.MaxTransfer]), "before release, the device's write did not reach the memory");

        buffer.Dispose();

        // After release: a device write to the old IO address does not land, on either page...
        Random.Shared.NextBytes(memory.Span);
        var before = memory.Span.ToArray();
        edu.ToHost(ioAddress, Edu.MaxTransfer);
        edu.ToHost(ioAddress + 4096, Edu.MaxTransfer);
        var changed = memory.Span.CommonPrefixLength(before);
        CheckFailedException.Unless(changed == before.Length, $"after release, the device still wrote the memory (byte {changed} changed)");

        // ...and a device read from it does not see the memory's contents.
        edu.FromHost(ioAddress, Edu.MaxTransfer);
        readBack.Fill(Canary);
        edu.ToHost(readBack.IoAddress, Edu.MaxTransfer);
        CheckFailedException.Unless(
            !readBack.Span[..Edu.MaxTransfer].SequenceEqual(memory.Span[..Edu.MaxTransfer]),
            "after release, the device still read the memory");
        return $"IO address 0x{ioAddress:x} dead after release: writes blocked, reads do not see the memory";
    }

    private static void CheckWithinDmaMask(SharedBuffer buffer) =>
        CheckFailedException.Unless(
            buffer.IoAddress + (ulong)buffer.Length - 1 <= Edu.DmaMask,
            $"IO address 0x{buffer.IoAddress:x}+0x{buffer.Length:x} is beyond edu's 28-bit DMA mask: the backend must honour the device's address width");

    private static string SizeName(int size) => size >= 1 << 20 ? $"{size >> 20}m" : $"{size >> 10}k";
}
