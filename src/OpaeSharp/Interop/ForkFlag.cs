namespace OpaeSharp.Interop;

/// <summary>
/// Whether the process forked after the library was loaded, known without a system call. A .NET
/// program cannot fork (the runtime does not support it), so without a flag the answer is no; in a
/// C program libopae-c hands in the flag its pthread_atfork child handler sets, and handle checks
/// ask the kernel for the process id only once it is set (a getpid on every prepare and release
/// was a fifth system call the bare syscalls do not make).
/// </summary>
internal static unsafe class ForkFlag
{
    private static int* s_flag;

    /// <summary>True once a fork was seen by whoever handed in the flag.</summary>
    internal static bool IsSet => s_flag != null && Volatile.Read(ref *s_flag) != 0;

    /// <summary>Called once by libopae-c's initializer with the flag its fork handler sets.</summary>
    internal static void Use(int* flag) => s_flag = flag;
}
