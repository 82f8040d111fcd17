using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary><c>opae/mmio.h</c>: accelerator registers.</summary>
internal static unsafe class MmioExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaReadMMIO32")]
    internal static FpgaResult ReadMmio32(nint handle, uint region, ulong offset, uint* value)
    {
        const string Function = "fpgaReadMMIO32";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (value == null)
            {
                return Abi.Invalid(Function, "value is NULL");
            }

            if (Abi.CheckMmio(Function, accelerator, region, offset, 4, out var device) is var refused and not FpgaResult.Ok)
            {
                return refused;
            }

            *value = device!.ReadMmio32(region, offset);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaReadMMIO64")]
    internal static FpgaResult ReadMmio64(nint handle, uint region, ulong offset, ulong* value)
    {
        const string Function = "fpgaReadMMIO64";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (value == null)
            {
                return Abi.Invalid(Function, "value is NULL");
            }

            if (Abi.CheckMmio(Function, accelerator, region, offset, 8, out var device) is var refused and not FpgaResult.Ok)
            {
                return refused;
            }

            *value = device!.ReadMmio64(region, offset);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaWriteMMIO32")]
    internal static FpgaResult WriteMmio32(nint handle, uint region, ulong offset, uint value)
    {
        const string Function = "fpgaWriteMMIO32";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (Abi.CheckMmio(Function, accelerator, region, offset, 4, out var device) is var refused and not FpgaResult.Ok)
            {
                return refused;
            }

            device!.WriteMmio32(region, offset, value);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaWriteMMIO64")]
    internal static FpgaResult WriteMmio64(nint handle, uint region, ulong offset, ulong value)
    {
        const string Function = "fpgaWriteMMIO64";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (Abi.CheckMmio(Function, accelerator, region, offset, 8, out var device) is var refused and not FpgaResult.Ok)
            {
                return refused;
            }

            device!.WriteMmio64(region, offset, value);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    /// <summary>
    /// One 512-bit write, as OPAE's plugins make it: a single AVX-512 store into a mapped region
    /// (NOT_SUPPORTED on a CPU without AVX-512 or a region reached through pread/pwrite); the
    /// simulator hands the 64 bytes to its AFU as one access.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "fpgaWriteMMIO512")]
    internal static FpgaResult WriteMmio512(nint handle, uint region, ulong offset, byte* value)
    {
        const string Function = "fpgaWriteMMIO512";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (offset % 64 != 0)
            {
                return Abi.Invalid(Function, $"offset 0x{offset:x} is not 64-byte aligned");
            }

            if (value == null)
            {
                return Abi.Invalid(Function, "value is NULL");
            }

            accelerator.WriteMmio512(offset, new ReadOnlySpan<byte>(value, 64), region);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    /// <summary>
    /// With <paramref name="mmioPointer"/> NULL the region is only checked (OPAE: no mapping, FPGA_OK).
    /// Otherwise the backend's mapping is returned: the device's BAR, or the simulator's register file
    /// (where writes reach the registers but no AFU handler runs). A backend with no mapping answers
    /// FPGA_NOT_SUPPORTED like OPAE's ASE and leaves *mmio_ptr untouched.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "fpgaMapMMIO")]
    internal static FpgaResult MapMmio(nint handle, uint region, nint* mmioPointer)
    {
        const string Function = "fpgaMapMMIO";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            var mapped = accelerator.MapMmio(region);
            if (mmioPointer == null)
            {
                return FpgaResult.Ok;
            }

            if (mapped == 0)
            {
                return Abi.Refuse(Function, FpgaResult.NotSupported, $"{accelerator.Token.Name} has no directly mapped MMIO; use fpgaReadMMIO*/fpgaWriteMMIO* (pass mmio_ptr = NULL)");
            }

            *mmioPointer = mapped;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    /// <summary>Checks the handle and region; the mapping itself lives as long as the handle.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fpgaUnmapMMIO")]
    internal static FpgaResult UnmapMmio(nint handle, uint region)
    {
        const string Function = "fpgaUnmapMMIO";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (accelerator.GetMmioSize(region) == 0)
            {
                return Abi.Invalid(Function, $"{accelerator.Token.Name} has no MMIO region {region}");
            }

            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }
}
