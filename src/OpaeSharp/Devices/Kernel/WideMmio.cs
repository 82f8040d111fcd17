using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpaeSharp.Devices.Kernel;

/// <summary>
/// The 64-byte store behind a 512-bit MMIO write. Under the JIT it is an AVX-512 vector store when
/// the CPU has AVX-512F. A NativeAOT build targets a baseline CPU and cannot emit one, so its host
/// (libopae-c) supplies a store compiled for AVX-512F, after checking the CPU and the OS, through
/// <see cref="UseStore"/>. Without either, 512-bit MMIO writes are NOT_SUPPORTED, as in OPAE.
/// </summary>
internal static unsafe class WideMmio
{
    private static delegate* managed<nint, nint, void> s_store;

    /// <summary>True when a 64-byte store can be made in one instruction here.</summary>
    internal static bool Supported => Avx512F.IsSupported || s_store != null;

    /// <summary>Supplies the store where managed code cannot make it; the host calls it once at start, having checked the CPU.</summary>
    internal static void UseStore(delegate* managed<nint, nint, void> store) => s_store = store;

    /// <summary>Stores the 64 bytes of <paramref name="value"/> at the 64-byte aligned <paramref name="destination"/> in one access.</summary>
    internal static void Store(nint destination, ReadOnlySpan<byte> value)
    {
        if (Avx512F.IsSupported)
        {
            Vector512.Create<byte>(value).StoreAligned((byte*)destination);
            return;
        }

        fixed (byte* source = value)
        {
            s_store(destination, (nint)source);
        }
    }
}
