using Microsoft.Win32.SafeHandles;

namespace OpaeSharp.Interop;

/// <summary>
/// This process's memory through <c>/proc/self/mem</c>: reads and writes at an address that fail
/// (EIO, EFAULT) instead of raising a signal when nothing is mapped there — what process_vm_readv
/// and process_vm_writev do, for where those are filtered out. Opened on first use and again in a
/// forked child (the file is the process's, not the path's).
/// </summary>
internal sealed class SelfMemory
{
    private readonly Lock _lock = new();
    private SafeFileHandle? _file;
    private int _of;

    internal Errno Read(nint address, Span<byte> destination, out int count)
    {
        count = 0;
        var file = File();
        if (file is null)
        {
            return Errno.ENOSYS;
        }

        try
        {
            count = RandomAccess.Read(file, destination, address);
            return Errno.None;
        }
        catch (IOException)
        {
            return Errno.EFAULT;
        }
    }

    internal Errno Write(nint address, ReadOnlySpan<byte> source, out int count)
    {
        count = 0;
        var file = File();
        if (file is null)
        {
            return Errno.ENOSYS;
        }

        try
        {
            RandomAccess.Write(file, source, address);
            count = source.Length;
            return Errno.None;
        }
        catch (IOException)
        {
            return Errno.EFAULT;
        }
    }

    private SafeFileHandle? File()
    {
        var pid = Libc.GetPid();
        lock (_lock)
        {
            if (_file is not null && _of == pid)
            {
                return _file;
            }

            try
            {
                _file = System.IO.File.OpenHandle("/proc/self/mem", FileMode.Open, FileAccess.ReadWrite);
                _of = pid;
                return _file;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
