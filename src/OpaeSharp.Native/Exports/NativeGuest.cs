using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary>The C half's view of the host process (native/guest.c).</summary>
internal static partial class NativeGuest
{
    /// <summary>Non-zero in a child forked after the library was loaded (a pthread_atfork flag: one load, no system call).</summary>
    [LibraryImport("opaesharp_native", EntryPoint = "opaesharp_forked")]
    internal static partial int Forked();
}
