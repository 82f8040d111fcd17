using System.Runtime.InteropServices;

namespace OpaeSharp.Benchmarks;

/// <summary>
/// The floor's system calls, declared here and not taken from the library: a baseline must be the
/// bare calls with nothing of ours between the benchmark and libc.
/// </summary>
internal static partial class RawSyscalls
{
    internal const int ProtReadWrite = 3;
    internal const int MadvDontFork = 10;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    internal static partial int Munmap(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "mlock")]
    internal static partial int Mlock(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise")]
    internal static partial int Madvise(nint addr, nuint length, int advice);
}
