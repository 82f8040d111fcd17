using System.Buffers.Binary;

namespace OpaeSharp.Devices.Simulated;

/// <summary>How a simulated port delivers MMIO accesses wider than the register file's own.</summary>
internal static class SimulatedMmio
{
    /// <summary>
    /// A 512-bit write: one access to an AFU that decodes them (<see cref="IAfuWideMmio"/>), else
    /// eight 64-bit writes at ascending offsets. The simulator needs no AVX-512: it is not a bus.
    /// </summary>
    internal static void Write512(IAfu afu, ulong offset, ReadOnlySpan<byte> value)
    {
        if (afu is IAfuWideMmio wide)
        {
            wide.Write512(offset, value);
            return;
        }

        for (var i = 0; i < 8; i++)
        {
            afu.Write64(offset + (ulong)(i * 8), BinaryPrimitives.ReadUInt64LittleEndian(value[(i * 8)..]));
        }
    }
}
