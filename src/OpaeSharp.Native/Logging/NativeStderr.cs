using System.Runtime.InteropServices;
using System.Text;

namespace OpaeSharp.Native.Logging;

/// <summary>
/// Lines to fd 2 with one write(2) each, through the C half of the library (native/guest.c):
/// no <c>System.Console</c> (whose first use installs terminal and SIGINT/SIGQUIT/SIGCONT
/// handlers in the host and duplicates fd 2, which fails with the descriptor table full), no
/// SIGPIPE when stderr is a closed pipe, no allocation beyond the line's bytes, never a throw.
/// </summary>
internal static partial class NativeStderr
{
    [LibraryImport("opaesharp_native", EntryPoint = "opaesharp_stderr_write")]
    private static unsafe partial int Write(byte* text, nuint length);

    /// <summary>Writes <paramref name="line"/> and a newline; false when it could not be written.</summary>
    internal static unsafe bool TryWriteLine(string line)
    {
        try
        {
            var count = Encoding.UTF8.GetByteCount(line) + 1;
            var bytes = count <= 1024 ? stackalloc byte[count] : new byte[count];
            Encoding.UTF8.GetBytes(line, bytes);
            bytes[^1] = (byte)'\n';
            fixed (byte* p = bytes)
            {
                return Write(p, (nuint)count) == 0;
            }
        }
        catch (Exception)
        {
            // Out of memory for the line: it is lost, never the caller's result.
            return false;
        }
    }
}
