using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

internal static partial class Libc
{
    // syscall(2) is variadic in C; with integer and pointer arguments only, the fixed-argument
    // declaration passes them in the same registers on x86-64 and arm64. io_uring has no libc wrapper.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long number, nint a1, nint a2, nint a3);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall4(long number, nint a1, nint a2, nint a3, nint a4);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall6(long number, nint a1, nint a2, nint a3, nint a4, nint a5, nint a6);

    /// <summary><c>io_uring_setup(entries, params)</c>; the ring's descriptor is owned by the returned handle.</summary>
    internal static unsafe Errno IoUringSetup(uint entries, ref IoUring.io_uring_params parameters, out SafeFileDescriptor? fd)
    {
        long raw;
        fixed (IoUring.io_uring_params* p = &parameters)
        {
            raw = syscall3(IoUring.__NR_io_uring_setup, (nint)entries, (nint)p, 0);
        }

        if (raw < 0)
        {
            fd = null;
            return LastErrno;
        }

        fd = new SafeFileDescriptor((int)raw);
        return Errno.None;
    }

    /// <summary><c>io_uring_enter(fd, to_submit, min_complete, flags, NULL, 0)</c>.</summary>
    internal static Errno IoUringEnter(SafeFileDescriptor fd, uint toSubmit, uint minComplete, uint flags, out int submitted)
    {
        var added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            var rc = syscall6(IoUring.__NR_io_uring_enter, fd.Value, (nint)toSubmit, (nint)minComplete, (nint)flags, 0, 0);
            submitted = rc < 0 ? 0 : (int)rc;
            return rc < 0 ? LastErrno : Errno.None;
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    /// <summary><c>io_uring_register(fd, opcode, arg, nr_args)</c>.</summary>
    internal static Errno IoUringRegister(SafeFileDescriptor fd, uint opcode, nint arg, uint count)
    {
        var added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return syscall4(IoUring.__NR_io_uring_register, fd.Value, (nint)opcode, arg, (nint)count) < 0 ? LastErrno : Errno.None;
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }
}
