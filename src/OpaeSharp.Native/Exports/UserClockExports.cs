using System.Runtime.InteropServices;
using OpaeSharp.Devices;

namespace OpaeSharp.Native.Exports;

/// <summary><c>opae/userclk.h</c>: the accelerator's user clock (see <see cref="UserClock"/> for what each backend can do).</summary>
internal static unsafe class UserClockExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaSetUserClock")]
    internal static FpgaResult SetUserClock(nint handle, ulong high, ulong low, int flags)
    {
        const string Function = "fpgaSetUserClock";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            var status = UserClock.Set(accelerator.Token, high, low);
            return status.IsOk ? FpgaResult.Ok : Abi.Refuse(Function, status.Result, status.Reason!);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetUserClock")]
    internal static FpgaResult GetUserClock(nint handle, ulong* high, ulong* low, int flags)
    {
        const string Function = "fpgaGetUserClock";
        try
        {
            if (!Abi.TryGetHandle(handle, out var accelerator))
            {
                return Abi.BadHandle(Function, handle);
            }

            if (high == null || low == null)
            {
                return Abi.Invalid(Function, "high_clk or low_clk is NULL");
            }

            var status = UserClock.Get(accelerator.Token, out var h, out var l);
            if (!status.IsOk)
            {
                return Abi.Refuse(Function, status.Result, status.Reason!);
            }

            *high = h;
            *low = l;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }
}
