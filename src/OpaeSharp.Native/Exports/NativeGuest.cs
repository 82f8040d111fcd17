using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary>The C half's view of the host process (native/guest.c).</summary>
internal static unsafe partial class NativeGuest
{
    // Set once by Abi.Initialize: a plain static, so reading the flag is two loads on the hot path.
    private static int* s_forked;

    /// <summary>True in a child forked after the library was loaded (a pthread_atfork flag: no call, no system call).</summary>
    internal static bool Forked
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_forked != null && Volatile.Read(ref *s_forked) != 0;
    }

    /// <summary>Finds the flag; called from the module initializer, before any export runs.</summary>
    internal static void Initialize()
    {
        s_forked = ForkFlag();
        OpaeSharp.Interop.ForkFlag.Use(s_forked);
    }

    [LibraryImport("opaesharp_native", EntryPoint = "opaesharp_fork_flag")]
    private static partial int* ForkFlag();
}
