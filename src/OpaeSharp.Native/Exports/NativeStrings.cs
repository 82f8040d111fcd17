using System.Runtime.InteropServices;
using System.Text;

namespace OpaeSharp.Native.Exports;

/// <summary>
/// NUL-terminated UTF-8 copies of strings handed to C as <c>const char *</c>: allocated once,
/// never freed, so the pointers stay valid for the life of the process as OPAE's literals do.
/// </summary>
internal static unsafe class NativeStrings
{
    private static readonly nint[] s_errors = CreateErrorStrings();

    /// <summary>fpgaErrStr's text for <paramref name="result"/>.</summary>
    internal static byte* ForResult(int result)
    {
        var index = result is >= 0 and <= (int)FpgaResult.ReconfError ? result : s_errors.Length - 1;
        return (byte*)s_errors[index];
    }

    /// <summary>A NUL-terminated UTF-8 string from C.</summary>
    internal static string Read(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? "";

    /// <summary>Copies <paramref name="text"/> into <paramref name="destination"/> of <paramref name="capacity"/> bytes, NUL included; false when it does not fit.</summary>
    internal static bool TryCopy(string text, byte* destination, nuint capacity)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if ((nuint)bytes.Length + 1 > capacity)
        {
            return false;
        }

        bytes.AsSpan().CopyTo(new Span<byte>(destination, bytes.Length));
        destination[bytes.Length] = 0;
        return true;
    }

    private static nint[] CreateErrorStrings()
    {
        var texts = new string[(int)FpgaResult.ReconfError + 2];
        for (var i = 0; i < texts.Length; i++)
        {
            // The last slot holds the text for values outside OPAE's range ("unknown error").
            texts[i] = ((FpgaResult)(i == texts.Length - 1 ? -1 : i)).Describe();
        }

        return [.. texts.Select(Allocate)];
    }

    private static nint Allocate(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var memory = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.AsSpan().CopyTo(new Span<byte>(memory, bytes.Length));
        memory[bytes.Length] = 0;
        return (nint)memory;
    }
}
