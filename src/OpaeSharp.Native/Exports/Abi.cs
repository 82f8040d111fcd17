using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using OpaeSharp.Diagnostics;
using OpaeSharp.Native.Handles;
using OpaeSharp.Native.Logging;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// What every export shares: the library's logger, handle lookup, and turning failures into
/// result codes. Nothing thrown inside an export may reach the C caller: OpaeExceptions become
/// their result, anything else FPGA_EXCEPTION, logged as an error.
/// </summary>
internal static class Abi
{
    private static StderrLogger s_log = new(OpaeLogLevel.Error);

    internal static StderrLogger Log => s_log;

    /// <summary>Runs when the runtime starts inside the host process: routes the library's logging to stderr (or LIBOPAE_LOGFILE).</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "This assembly is the native library's entry: its logger must exist before the first export runs.")]
    internal static void Initialize()
    {
        NativeGuest.Initialize();
        s_log = StderrLogger.FromEnvironment();
        OpaeLogging.UseLogger(s_log);
        WideStores.Install();
    }

    /// <summary>Logs why a call is refused (OPAE "message" level) and returns FPGA_INVALID_PARAM.</summary>
    internal static FpgaResult Invalid(string function, string why) => Refuse(function, FpgaResult.InvalidParam, why);

    internal static FpgaResult Refuse(string function, FpgaResult result, string why, bool quiet = false)
    {
        if (!quiet)
        {
            try
            {
                s_log.Write(OpaeLogLevel.Message, $"{function}: {why} ({result.Describe()})");
            }
            catch (Exception)
            {
                // Logging never changes the result the caller gets.
            }
        }

        return result;
    }

    /// <summary>The result for an exception caught at the ABI boundary.</summary>
    /// <param name="function">The exported function, for the log.</param>
    /// <param name="exception">What was thrown.</param>
    /// <param name="quiet">True when the failure was already logged (or the caller asked for silence).</param>
    internal static FpgaResult Fail(string function, Exception exception, bool quiet = false)
    {
        try
        {
            if (exception is OpaeException opae)
            {
                return Refuse(function, opae.Result, opae.Message, quiet);
            }

            s_log.Write(OpaeLogLevel.Error, $"{function}: unexpected {exception.GetType().Name}: {exception.Message}\n{exception.StackTrace}");
        }
        catch (Exception)
        {
            // Logging itself failed (stderr closed?): the result code still has to reach the caller.
        }

        return FpgaResult.Exception;
    }

    /// <summary>
    /// Finds the open accelerator behind a C handle value. In a forked child, a handle the parent
    /// opened is not found: using it would reach the parent's device state (its DMA mappings, its
    /// registers, threads that do not exist here). Only fpgaClose takes it, to forget it.
    /// </summary>
    internal static bool TryGetHandle(nint handle, [NotNullWhen(true)] out Accelerator? accelerator)
    {
        if (NativeObjects.Handles.TryGet(handle, out accelerator) && !accelerator.IsClosed)
        {
            // The lookups are the hot path: the fork case stays out of line.
            if (!NativeGuest.Forked || OwnedByThisProcess(accelerator))
            {
                return true;
            }
        }

        accelerator = null;
        return false;
    }

    /// <summary>The device for an MMIO access, or the refusal (logged) when the handle has no such register.</summary>
    internal static FpgaResult CheckMmio(string function, Accelerator accelerator, uint region, ulong offset, uint width, out OpaeSharp.Devices.IDevice? device)
    {
        var status = accelerator.CheckMmio(region, offset, width, out device);
        return status.IsOk ? FpgaResult.Ok : Refuse(function, status.Result, status.Reason!);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool OwnedByThisProcess(Accelerator accelerator) => !accelerator.IsInheritedByFork;

    internal static FpgaResult BadHandle(string function, nint handle) =>
        NativeGuest.Forked && NativeObjects.Handles.TryGet(handle, out var inherited) && inherited.IsInheritedByFork
            ? Invalid(function, $"0x{handle:x} was opened by process {inherited.OwnerProcessId} before it forked; a child must open its own handle (fpgaClose only forgets this one)")
            : Invalid(function, $"0x{handle:x} is not an open handle of this library (NULL, closed, or never returned by fpgaOpen)");

    internal static FpgaResult BadToken(string function, nint token) =>
        Invalid(function, $"0x{token:x} is not a live token of this library (NULL, destroyed, or never returned by fpgaEnumerate/fpgaCloneToken)");

    internal static FpgaResult BadProperties(string function, nint properties) =>
        Invalid(function, $"0x{properties:x} is not a live properties object of this library (NULL, destroyed, or never returned by fpgaGetProperties/fpgaCloneProperties)");
}
