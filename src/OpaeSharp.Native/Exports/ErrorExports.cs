using System.Runtime.InteropServices;
using System.Text;
using OpaeSharp.Enumeration;
using OpaeSharp.Native.Handles;
using OpaeSharp.Objects;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// <c>opae/error.h</c>: the error registers of a device or accelerator, numbered as OPAE numbers
/// them (see <see cref="ErrorRegisterList"/>). A number past the last register is NOT_FOUND; a
/// register that cannot be cleared is NOT_SUPPORTED for fpgaClearError; backends without error
/// registers (vfio-pci) answer NOT_SUPPORTED, as OPAE's vfio plugin does.
/// </summary>
internal static unsafe class ErrorExports
{
    private const int NameMax = 64;

    [UnmanagedCallersOnly(EntryPoint = "fpgaReadError")]
    internal static FpgaResult ReadError(nint token, uint errorNumber, ulong* value)
    {
        const string Function = "fpgaReadError";
        try
        {
            if (Find(Function, token, errorNumber, out var found, out var register) is { } refused)
            {
                return refused;
            }

            if (value == null)
            {
                return Abi.Invalid(Function, "value is NULL");
            }

            var status = ErrorRegisterList.ReadValue(found!.Sysfs!, register!, out var read);
            if (!status.IsOk)
            {
                return Abi.Refuse(Function, status.Result, status.Reason!);
            }

            *value = read;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaClearError")]
    internal static FpgaResult ClearError(nint token, uint errorNumber)
    {
        const string Function = "fpgaClearError";
        try
        {
            if (Find(Function, token, errorNumber, out var found, out var register) is { } refused)
            {
                return refused;
            }

            var status = ErrorRegisterList.Clear(found!.Sysfs!, register!);
            return status.IsOk ? FpgaResult.Ok : Abi.Refuse(Function, status.Result, status.Reason!);
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaClearAllErrors")]
    internal static FpgaResult ClearAllErrors(nint token)
    {
        const string Function = "fpgaClearAllErrors";
        try
        {
            if (!NativeObjects.Tokens.TryGet(token, out var found))
            {
                return Abi.BadToken(Function, token);
            }

            if (Unsupported(Function, found) is { } refused)
            {
                return refused;
            }

            foreach (var register in found.ErrorRegisters())
            {
                if (register.ClearPath is not null && ErrorRegisterList.Clear(found.Sysfs!, register) is { IsOk: false } failed)
                {
                    return Abi.Refuse(Function, failed.Result, failed.Reason!);
                }
            }

            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaGetErrorInfo")]
    internal static FpgaResult GetErrorInfo(nint token, uint errorNumber, byte* errorInfo)
    {
        const string Function = "fpgaGetErrorInfo";
        try
        {
            if (errorInfo == null)
            {
                return Abi.Invalid(Function, "error_info is NULL");
            }

            if (Find(Function, token, errorNumber, out _, out var register) is { } refused)
            {
                return refused;
            }

            // struct fpga_error_info { char name[64]; bool can_clear; } (65 bytes).
            var name = new Span<byte>(errorInfo, NameMax);
            name.Clear();
            var bytes = Encoding.UTF8.GetBytes(register!.Name);
            bytes.AsSpan(0, Math.Min(bytes.Length, NameMax - 1)).CopyTo(name);
            errorInfo[NameMax] = register.ClearPath is null ? (byte)0 : (byte)1;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    private static FpgaResult? Find(string function, nint token, uint errorNumber, out AcceleratorToken? found, out ErrorRegister? register)
    {
        register = null;
        if (!NativeObjects.Tokens.TryGet(token, out found))
        {
            return Abi.BadToken(function, token);
        }

        if (Unsupported(function, found) is { } refused)
        {
            return refused;
        }

        var registers = found.ErrorRegisters();
        if (errorNumber >= (uint)registers.Count)
        {
            return Abi.Refuse(function, FpgaResult.NotFound, $"{found.Name} has {registers.Count} error registers; there is no number {errorNumber}");
        }

        register = registers[(int)errorNumber];
        return null;
    }

    private static FpgaResult? Unsupported(string function, AcceleratorToken token) =>
        token.Sysfs is null
            ? Abi.Refuse(function, FpgaResult.NotSupported, $"{token.Name}: the {token.BackendImpl.Name} backend exposes no error registers")
            : null;
}
