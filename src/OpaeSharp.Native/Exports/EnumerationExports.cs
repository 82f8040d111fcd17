using System.Runtime.InteropServices;
using OpaeSharp.Enumeration;
using OpaeSharp.Native.Handles;

namespace OpaeSharp.Native.Exports;

/// <summary><c>opae/enum.h</c>: finding FPGA objects and managing tokens.</summary>
internal static unsafe class EnumerationExports
{
    [UnmanagedCallersOnly(EntryPoint = "fpgaEnumerate")]
    internal static FpgaResult Enumerate(nint* filters, uint filterCount, nint* tokens, uint maxTokens, uint* matchCount)
    {
        const string Function = "fpgaEnumerate";
        try
        {
            if (matchCount == null)
            {
                return Abi.Invalid(Function, "num_matches is NULL");
            }

            if (maxTokens > 0 && tokens == null)
            {
                return Abi.Invalid(Function, $"max_tokens is {maxTokens} but tokens is NULL");
            }

            if (filterCount > 0 && filters == null)
            {
                return Abi.Invalid(Function, $"num_filters is {filterCount} but filters is NULL");
            }

            if (filterCount == 0 && filters != null)
            {
                return Abi.Invalid(Function, "num_filters is 0 but filters is not NULL");
            }

            // From here on a failure reports no matches, so a caller that ignores the result
            // (OPAE's own samples do) does not go on to use tokens that were never written.
            *matchCount = 0;
            var criteria = new AcceleratorFilter[filterCount];
            for (var i = 0; i < filterCount; i++)
            {
                if (!NativeObjects.Properties.TryGet(filters[i], out var properties))
                {
                    return Abi.BadProperties(Function, filters[i]);
                }

                criteria[i] = properties.ToFilter();
            }

            var found = Accelerator.Enumerate(criteria);
            var returned = Math.Min((uint)found.Count, maxTokens);
            for (var i = 0; i < returned; i++)
            {
                tokens[i] = NativeObjects.Tokens.Add(found[i]);
            }

            *matchCount = (uint)found.Count;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaCloneToken")]
    internal static FpgaResult CloneToken(nint source, nint* destination)
    {
        const string Function = "fpgaCloneToken";
        try
        {
            if (!NativeObjects.Tokens.TryGet(source, out var token))
            {
                return Abi.BadToken(Function, source);
            }

            if (destination == null)
            {
                return Abi.Invalid(Function, "dst is NULL");
            }

            *destination = NativeObjects.Tokens.Add(token);
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "fpgaDestroyToken")]
    internal static FpgaResult DestroyToken(nint* token)
    {
        const string Function = "fpgaDestroyToken";
        try
        {
            if (token == null)
            {
                return Abi.Invalid(Function, "token is NULL");
            }

            if (!NativeObjects.Tokens.TryRemove(*token, out _))
            {
                return Abi.BadToken(Function, *token);
            }

            *token = 0;
            return FpgaResult.Ok;
        }
        catch (Exception e)
        {
            return Abi.Fail(Function, e);
        }
    }
}
