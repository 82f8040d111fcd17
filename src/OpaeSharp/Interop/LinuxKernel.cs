namespace OpaeSharp.Interop;

/// <summary>The real kernel: system calls through <see cref="Libc"/>, sysfs from the file system.</summary>
internal sealed class LinuxKernel : IKernel
{
    private readonly SysfsFiles _files = new("/");

    // Where a seccomp profile forbids process_vm_readv/writev, /proc/self/mem gives the same answers.
    private readonly SelfMemory _self = new();

    private LinuxKernel()
    {
    }

    internal static LinuxKernel Instance { get; } = new();

    public nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset, out Errno errno) =>
        Libc.Mmap(address, length, protection, flags, fd, offset, out errno);

    public Errno Munmap(nint address, nuint length) => Libc.Munmap(address, length);

    public Errno Mlock(nint address, nuint length) => Libc.Mlock(address, length);

    public Errno Munlock(nint address, nuint length) => Libc.Munlock(address, length);

    public Errno Madvise(nint address, nuint length, int advice) => Libc.Madvise(address, length, advice);

    public Errno Msync(nint address, nuint length, int flags) => Libc.Msync(address, length, flags);

    public Errno ProcessVmRead(nint address, Span<byte> destination, out int count)
    {
        var errno = Libc.ProcessVmRead(Libc.GetPid(), address, destination, out count);
        return errno is Errno.ENOSYS or Errno.EPERM ? _self.Read(address, destination, out count) : errno;
    }

    public Errno ProcessVmWrite(nint address, ReadOnlySpan<byte> source, out int count)
    {
        var errno = Libc.ProcessVmWrite(Libc.GetPid(), address, source, out count);
        return errno is Errno.ENOSYS or Errno.EPERM ? _self.Write(address, source, out count) : errno;
    }

    public Errno IoUringSetup(uint entries, ref IoUring.io_uring_params parameters, out SafeFileDescriptor? fd) => Libc.IoUringSetup(entries, ref parameters, out fd);

    public Errno IoUringEnter(SafeFileDescriptor fd, uint toSubmit, uint minComplete, uint flags, out int submitted) =>
        Libc.IoUringEnter(fd, toSubmit, minComplete, flags, out submitted);

    public Errno IoUringRegister(SafeFileDescriptor fd, uint opcode, nint arg, uint count) => Libc.IoUringRegister(fd, opcode, arg, count);

    public Errno Pipe(int flags, int capacity, out SafeFileDescriptor? readEnd, out SafeFileDescriptor? writeEnd, out int actualCapacity)
    {
        actualCapacity = 0;
        var errno = Libc.Pipe(flags | Libc.O_CLOEXEC, out readEnd, out writeEnd);
        if (errno == Errno.None)
        {
            // Over pipe-max-size or the user's pipe quota the kernel keeps a smaller pipe: use what it has.
            Libc.SetPipeSize(writeEnd!, capacity, out actualCapacity);
        }

        return errno;
    }

    public int ProcessId => Libc.GetPid();

    public bool MayHaveForked => ForkFlag.IsSet;

    public string? ReadProcSelf(string name) => _files.ReadAttribute("/proc/self/" + name);

    public Errno Open(string path, int flags, out SafeFileDescriptor? fd) => Libc.Open(path, flags | Libc.O_CLOEXEC, out fd);

    public SafeFileDescriptor Adopt(int fd) => new(fd);

    public Errno Access(string path) => Libc.Access(path, Libc.R_OK | Libc.W_OK);

    public int Ioctl(SafeFileDescriptor fd, uint request, nint arg, out Errno errno) => Libc.Ioctl(fd, request, arg, out errno);

    public Errno MapShared(SafeFileDescriptor fd, ulong length, long offset, out SafeMappedRegion? region)
    {
        var added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            var address = Libc.Mmap(0, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd.Value, (nint)offset, out var errno);
            region = address == Libc.MapFailed ? null : new SafeMappedRegion(address, length);
            return errno;
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    public Errno Pread(SafeFileDescriptor fd, Span<byte> buffer, long offset, out int count) => Libc.Pread(fd, buffer, offset, out count);

    public Errno Pwrite(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, long offset, out int count) => Libc.Pwrite(fd, buffer, offset, out count);

    public Errno EventFd(uint initialValue, int flags, out SafeFileDescriptor? fd) => Libc.EventFd(initialValue, flags | Libc.EFD_CLOEXEC, out fd);

    public Errno Read(SafeFileDescriptor fd, Span<byte> buffer, out int count) => Libc.Read(fd, buffer, out count);

    public Errno Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, out int count) => Libc.Write(fd, buffer, out count);

    public Errno EpollCreate(out SafeFileDescriptor? epoll) => Libc.EpollCreate(out epoll);

    public Errno EpollCtl(SafeFileDescriptor epoll, int op, SafeFileDescriptor fd, uint events, ulong data) => Libc.EpollCtl(epoll, op, fd, events, data);

    public Errno EpollWait(SafeFileDescriptor epoll, Span<EpollEvent> events, int timeoutMs, out int count) => Libc.EpollWait(epoll, events, timeoutMs, out count);

    public string? ReadAttribute(string path) => _files.ReadAttribute(path);

    public Errno WriteAttribute(string path, string value) => _files.WriteAttribute(path, value);

    public string? ReadLink(string path) => _files.ReadLink(path);

    public IReadOnlyList<string> List(string directory, string pattern = "*") => _files.List(directory, pattern);

    public bool Exists(string path) => _files.Exists(path);

    public bool IsDirectory(string path) => _files.IsDirectory(path);
}
