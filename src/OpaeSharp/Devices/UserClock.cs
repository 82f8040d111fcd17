using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;
using OpaeSharp.Objects;

namespace OpaeSharp.Devices;

/// <summary>
/// The accelerator's user clock (<c>fpgaGetUserClock</c>/<c>fpgaSetUserClock</c>): the simulated
/// card's clock on the simulator; on DFL the frequencies an IOPLL user clock reports in sysfs
/// (<c>dfl*/userclk/frequency</c> below the port: "low high" in kHz). Programming a DFL user clock
/// means writing the card's PLL configuration tables, which this library does not carry: NOT_SUPPORTED.
/// </summary>
internal static class UserClock
{
    internal static Status Get(AcceleratorToken token, out ulong highHz, out ulong lowHz)
    {
        highHz = lowHz = 0;
        if (token.ObjectType != FpgaObjectType.Accelerator)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{token.Name} is an FPGA device; the user clock belongs to an accelerator's port");
        }

        if (token.BackendImpl is SimulatedBackend simulator && simulator.ViewOf(token) is { } card)
        {
            (highHz, lowHz) = card.UserClock;
            return Status.Ok;
        }

        if (token.Sysfs is { } sysfs && token.SysfsPath is { } port)
        {
            var files = SysfsGlob.Expand(sysfs, $"{port}/dfl*/userclk/frequency");
            if (files.Count == 0 || sysfs.ReadAttribute(files[0]) is not { } text)
            {
                return Status.Fail(FpgaResult.NotSupported, $"{token.Name}: the driver exposes no user clock frequency (dfl*/userclk/frequency below {port})");
            }

            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !ulong.TryParse(parts[0], out var lowKhz) || !ulong.TryParse(parts[1], out var highKhz))
            {
                return Status.Fail(FpgaResult.Exception, $"{files[0]} holds '{text}', not \"low high\" in kHz");
            }

            (highHz, lowHz) = (highKhz * 1000, lowKhz * 1000);
            return Status.Ok;
        }

        return Status.Fail(FpgaResult.NotSupported, $"{token.Name}: the {token.BackendImpl.Name} backend has no user clock interface");
    }

    internal static Status Set(AcceleratorToken token, ulong highMhz, ulong lowMhz)
    {
        if (token.ObjectType != FpgaObjectType.Accelerator)
        {
            return Status.Fail(FpgaResult.InvalidParam, $"{token.Name} is an FPGA device; the user clock belongs to an accelerator's port");
        }

        if (token.BackendImpl is SimulatedBackend simulator && simulator.ViewOf(token) is { } card)
        {
            return card.SetUserClock(highMhz, lowMhz);
        }

        return Status.Fail(FpgaResult.NotSupported, $"{token.Name}: programming a {token.BackendImpl.Name} user clock needs the card's PLL tables, which this library does not carry");
    }
}
