using System.Globalization;

namespace OpaeSharp.VmTests;

/// <summary>
/// The VFIO backend keeps IO addresses below the device's DMA address width
/// (<c>OPAESHARP_VFIO_DMA_BITS</c>), however many buffers are prepared, and says so when that space
/// runs out. Run with a width small enough to fill (21 bits: a 1 MiB window above the 1 MiB the
/// backend leaves unused) before the kernel's mapping or memory limits are reached.
/// </summary>
internal sealed class AddressWidthChecks(EduTarget target, Report report)
{
    private const string DmaBitsVariable = "OPAESHARP_VFIO_DMA_BITS";

    internal void Run()
    {
        var setting = Environment.GetEnvironmentVariable(DmaBitsVariable);
        if (!int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
        {
            report.Run("limit.io_address_width", () => throw new CheckFailedException($"{DmaBitsVariable} is not set"));
            return;
        }

        report.Run($"limit.io_address_width_{bits}_bits_honoured", () => Honoured(bits));
    }

    private string Honoured(int bits)
    {
        var limit = 1UL << bits;
        const int size = 64 << 10;
        using var accelerator = target.Open();
        var held = new List<SharedBuffer>();
        try
        {
            OpaeException? failure = null;
            while (held.Count < 64)
            {
                try
                {
                    held.Add(accelerator.PrepareBuffer(size, BufferFlags.Quiet));
                }
                catch (OpaeException e)
                {
                    failure = e;
                    break;
                }
            }

            var beyond = held.FirstOrDefault(b => b.IoAddress + (ulong)b.Length > limit);
            if (beyond is not null)
            {
                throw new CheckFailedException($"buffer at IO address 0x{beyond.IoAddress:x}+0x{beyond.Length:x} ends beyond the {bits}-bit limit 0x{limit:x}");
            }

            CheckFailedException.Unless(held.Count > 0, $"no buffer fits below 0x{limit:x}: {failure?.Message}");
            CheckFailedException.Unless(failure is not null, $"{held.Count} buffers of {size >> 10} KiB fit below 0x{limit:x}, more than the window holds");
            CheckFailedException.Unless(
                failure!.Result == FpgaResult.NoMemory && failure.Message.Contains($"{bits}-bit", StringComparison.Ordinal),
                $"running out of IO addresses gave {failure.Result}: {failure.Message}");

            // The highest buffer is real: the device reaches its last byte.
            var highest = held.MaxBy(b => b.IoAddress)!;
            var lowest = held.MinBy(b => b.IoAddress)!;
            var edu = new Edu(accelerator);
            var offset = (int)highest.Length - Edu.MaxTransfer;
            Random.Shared.NextBytes(highest.GetSpan(offset, Edu.MaxTransfer));
            edu.FromHost(highest.IoAddress + (ulong)offset, Edu.MaxTransfer);
            edu.ToHost(lowest.IoAddress, Edu.MaxTransfer);
            CheckFailedException.Unless(
                lowest.GetSpan(0, Edu.MaxTransfer).SequenceEqual(highest.GetSpan(offset, Edu.MaxTransfer)),
                "round trip from the top of the window failed");
            return $"{held.Count} buffers of {size >> 10} KiB at 0x{lowest.IoAddress:x}..0x{highest.IoAddress + (ulong)highest.Length:x}, all below 0x{limit:x}; then NO_MEMORY \"{failure.Message}\"";
        }
        finally
        {
            foreach (var buffer in held)
            {
                buffer.Dispose();
            }
        }
    }
}
