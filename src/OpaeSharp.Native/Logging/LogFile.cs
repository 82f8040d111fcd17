using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace OpaeSharp.Native.Logging;

/// <summary>
/// The file <c>LIBOPAE_LOGFILE</c> names, opened once when the library starts and appended to
/// (O_APPEND: lines of several processes interleave whole, earlier runs are kept). As in OPAE, only
/// a relative path or one under <c>/tmp/</c> is accepted. Writing never throws: a line that cannot
/// be written is dropped.
/// </summary>
internal sealed partial class LogFile : IDisposable
{
    internal const string EnvironmentVariable = "LIBOPAE_LOGFILE";

    // Generic Linux values, the same on x86-64 and arm64.
    private const int O_WRONLY = 0x1, O_CREAT = 0x40, O_APPEND = 0x400, O_CLOEXEC = 0x80000;
    private const int Mode = 0x1b6; // 0666, less the umask, as fopen creates files
    private const int EINTR = 4;

    private readonly SafeFileHandle _fd;

    private LogFile(SafeFileHandle fd, string path) => (_fd, Path) = (fd, path);

    internal string Path { get; }

    /// <summary>
    /// Opens the file <c>LIBOPAE_LOGFILE</c> names; null when it is unset or empty, refused, or
    /// cannot be opened, with <paramref name="problem"/> saying why in the last two cases.
    /// </summary>
    internal static LogFile? FromEnvironment(out string? problem) =>
        Open(Environment.GetEnvironmentVariable(EnvironmentVariable), out problem);

    internal static LogFile? Open(string? path, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        // OPAE's rule: a path relative to the working directory, or an absolute one under /tmp/.
        if (path[0] == '/' && !path.StartsWith("/tmp/", StringComparison.Ordinal))
        {
            problem = $"{EnvironmentVariable}={path} ignored: only a relative path or one under /tmp/ is accepted (as in OPAE); logging to stderr";
            return null;
        }

        var fd = open_raw(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, Mode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            problem = $"could not open {EnvironmentVariable}={path}: {Marshal.GetPInvokeErrorMessage(errno)}; logging to stderr";
            return null;
        }

        return new LogFile(new SafeFileHandle(fd, ownsHandle: true), path);
    }

    /// <summary>Appends <paramref name="line"/> and a newline in one write; false if it could not be written.</summary>
    internal unsafe bool TryWriteLine(string line)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            var added = false;
            _fd.DangerousAddRef(ref added);
            try
            {
                fixed (byte* start = bytes)
                {
                    var done = 0;
                    while (done < bytes.Length)
                    {
                        var n = write_raw((int)_fd.DangerousGetHandle(), start + done, (nuint)(bytes.Length - done));
                        if (n < 0 && Marshal.GetLastPInvokeError() == EINTR)
                        {
                            continue;
                        }

                        if (n <= 0)
                        {
                            return false;
                        }

                        done += (int)n;
                    }
                }

                return true;
            }
            finally
            {
                if (added)
                {
                    _fd.DangerousRelease();
                }
            }
        }
        catch (Exception)
        {
            // Closed, out of memory: logging must never change what the caller gets.
            return false;
        }
    }

    public void Dispose() => _fd.Dispose();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open_raw(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint write_raw(int fd, byte* buffer, nuint count);
}
