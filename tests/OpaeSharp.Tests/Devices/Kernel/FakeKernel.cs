using System.IO.Enumeration;
using System.Runtime.InteropServices;
using OpaeSharp.Interop;

namespace OpaeSharp.Tests.Devices.Kernel;

/// <summary>The system calls whose failure a test can inject.</summary>
internal enum Syscall
{
    Mmap,
    Munmap,
    Mlock,
    Munlock,
    Madvise,
    Msync,
    Open,
    Ioctl,
    IoUringSetup,
    IoUringRegister,
    ProcessVm,
    ReadProcSelf,
    EventFd,
    EpollWait,
}

/// <summary>
/// A kernel for tests: sysfs is a real tree in a temporary folder, device nodes are fake drivers
/// that read the caller's ioctl argument bytes like the real ones do, reject wrong sizes, offsets and
/// flags, answer with IO addresses, and fail with an injected errno on request. Memory calls reach
/// the real kernel (buffers are real memory), after the same fault injection, and every mapping is
/// traced. Every descriptor and mapping it hands out is tracked, so tests can prove nothing leaks.
/// </summary>
internal sealed class FakeKernel : IKernel, IDisposable
{
    private readonly List<(nint Address, nuint Length)> _memory = [];
    private int _memoryMapped;
    private readonly Dictionary<Syscall, int> _calls = [];
    private readonly Dictionary<string, int> _opens = [];
    private readonly List<int> _mmapFlags = [];
    private readonly List<int> _advice = [];

    private readonly Lock _lock = new();
    private readonly SysfsFiles _files;
    private readonly Dictionary<string, FakeNode> _nodes = [];
    private readonly Dictionary<int, FakeFile> _open = [];
    private readonly List<IoctlRecord> _ioctls = [];
    private readonly List<(Syscall Call, uint Request, string? Path, Errno Errno, int Skip)> _faults = [];
    private readonly Dictionary<string, Errno> _access = [];
    private readonly List<nint> _allocations = [];
    private int _nextFd = 1000;
    private int _liveMappings;

    internal FakeKernel()
    {
        Root = Directory.CreateTempSubdirectory("opaesharp-sysfs-").FullName;
        _files = new SysfsFiles(Root);
    }

    internal string Root { get; }

    /// <summary>Runs inside every munlock, before the real one: lets a test put another call exactly there.</summary>
    internal Action? DuringMunlock { get; set; }

    /// <summary>The process id the kernel reports: set it to be, as far as the library can tell, a forked child.</summary>
    internal int? ProcessIdOverride { get; set; }

    /// <summary>Descriptors handed out and not yet closed.</summary>
    internal int OpenDescriptors
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Device regions mapped and not yet unmapped.</summary>
    internal int LiveMappings => Volatile.Read(ref _liveMappings);

    /// <summary>Anonymous memory mapped through this kernel and not yet unmapped.</summary>
    internal IReadOnlyList<(nint Address, nuint Length)> LiveMemory
    {
        get
        {
            lock (_lock)
            {
                return [.. _memory];
            }
        }
    }

    /// <summary>How many memory mappings were made through this kernel.</summary>
    internal int MemoryMapped => Volatile.Read(ref _memoryMapped);

    /// <summary>How many times <paramref name="call"/> reached this kernel (injected failures included).</summary>
    internal int Calls(Syscall call)
    {
        lock (_lock)
        {
            return _calls.GetValueOrDefault(call);
        }
    }

    /// <summary>The flags of every anonymous mmap, in order.</summary>
    internal IReadOnlyList<int> MmapFlags
    {
        get
        {
            lock (_lock)
            {
                return [.. _mmapFlags];
            }
        }
    }

    /// <summary>The advice of every madvise, in order.</summary>
    internal IReadOnlyList<int> Advice
    {
        get
        {
            lock (_lock)
            {
                return [.. _advice];
            }
        }
    }

    /// <summary>How many times <paramref name="path"/> was opened (failed opens included).</summary>
    internal int OpensOf(string path)
    {
        lock (_lock)
        {
            return _opens.GetValueOrDefault(path);
        }
    }

    internal IReadOnlyList<IoctlRecord> Ioctls
    {
        get
        {
            lock (_lock)
            {
                return [.. _ioctls];
            }
        }
    }

    // ---- the sysfs tree ----

    internal void WriteFile(string path, string text)
    {
        var host = _files.Host(path);
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllText(host, text + "\n");
    }

    internal void MakeDirectory(string path) => Directory.CreateDirectory(_files.Host(path));

    /// <summary>A relative symbolic link at <paramref name="path"/> to <paramref name="target"/> (both paths of the real system), as sysfs makes them.</summary>
    internal void Link(string path, string target)
    {
        var host = _files.Host(path);
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        Directory.CreateDirectory(_files.Host(target));
        File.CreateSymbolicLink(host, Path.GetRelativePath(Path.GetDirectoryName(path)!, target));
    }

    // ---- device nodes and faults ----

    internal void AddNode(string path, FakeNode node)
    {
        lock (_lock)
        {
            _nodes[path] = node;
        }
    }

    /// <summary>The (skip+1)th next ioctl with <paramref name="request"/> fails with <paramref name="errno"/>.</summary>
    internal void FailIoctl(uint request, Errno errno, int skip = 0) => AddFault(Syscall.Ioctl, request, null, errno, skip);

    internal void FailOpen(string path, Errno errno) => AddFault(Syscall.Open, 0, path, errno, 0);

    internal void FailMmap(Errno errno) => AddFault(Syscall.Mmap, 0, null, errno, 0);

    /// <summary>The (skip+1)th next call of a memory syscall fails with <paramref name="errno"/>.</summary>
    internal void Fail(Syscall call, Errno errno, int skip = 0) => AddFault(call, 0, null, errno, skip);

    internal void DenyAccess(string path, Errno errno)
    {
        lock (_lock)
        {
            _access[path] = errno;
        }
    }

    /// <summary>Page-aligned zeroed memory that lives as long as the kernel: device registers.</summary>
    internal unsafe nint Allocate(ulong size)
    {
        var p = (nint)NativeMemory.AlignedAlloc((nuint)size, 4096);
        NativeMemory.Clear((void*)p, (nuint)size);
        lock (_lock)
        {
            _allocations.Add(p);
        }

        return p;
    }

    // ---- IKernel: memory (the real kernel, after faults) ----

    public nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset, out Errno errno)
    {
        lock (_lock)
        {
            _mmapFlags.Add(flags);
        }

        if (Fault(Syscall.Mmap) is { } injected)
        {
            errno = injected;
            return Libc.MapFailed;
        }

        var result = LinuxKernel.Instance.Mmap(address, length, protection, flags, fd, offset, out errno);
        if (result != Libc.MapFailed)
        {
            lock (_lock)
            {
                _memory.Add((result, length));
            }

            Interlocked.Increment(ref _memoryMapped);
        }

        return result;
    }

    public Errno Munmap(nint address, nuint length)
    {
        if (Fault(Syscall.Munmap) is { } injected)
        {
            return injected;
        }

        var errno = LinuxKernel.Instance.Munmap(address, length);
        if (errno == Errno.None)
        {
            lock (_lock)
            {
                _memory.Remove((address, length));
            }
        }

        return errno;
    }

    public Errno Mlock(nint address, nuint length) => Fault(Syscall.Mlock) ?? LinuxKernel.Instance.Mlock(address, length);

    public Errno Munlock(nint address, nuint length)
    {
        DuringMunlock?.Invoke();
        return Fault(Syscall.Munlock) ?? LinuxKernel.Instance.Munlock(address, length);
    }

    public Errno Madvise(nint address, nuint length, int advice)
    {
        lock (_lock)
        {
            _advice.Add(advice);
        }

        return Fault(Syscall.Madvise) ?? LinuxKernel.Instance.Madvise(address, length, advice);
    }

    public Errno Msync(nint address, nuint length, int flags) => Fault(Syscall.Msync) ?? LinuxKernel.Instance.Msync(address, length, flags);

    public Errno ProcessVmRead(nint address, Span<byte> destination, out int count)
    {
        count = 0;
        return Fault(Syscall.ProcessVm) ?? LinuxKernel.Instance.ProcessVmRead(address, destination, out count);
    }

    public Errno ProcessVmWrite(nint address, ReadOnlySpan<byte> source, out int count)
    {
        count = 0;
        return Fault(Syscall.ProcessVm) ?? LinuxKernel.Instance.ProcessVmWrite(address, source, out count);
    }

    // io_uring, pipes: the real kernel (the pins are real), after faults.
    public Errno IoUringSetup(uint entries, ref IoUring.io_uring_params parameters, out SafeFileDescriptor? fd)
    {
        fd = null;
        return Fault(Syscall.IoUringSetup) ?? LinuxKernel.Instance.IoUringSetup(entries, ref parameters, out fd);
    }

    public Errno IoUringEnter(SafeFileDescriptor fd, uint toSubmit, uint minComplete, uint flags, out int submitted) =>
        LinuxKernel.Instance.IoUringEnter(fd, toSubmit, minComplete, flags, out submitted);

    public Errno IoUringRegister(SafeFileDescriptor fd, uint opcode, nint arg, uint count) =>
        Fault(Syscall.IoUringRegister) ?? LinuxKernel.Instance.IoUringRegister(fd, opcode, arg, count);

    public Errno Pipe(int flags, int capacity, out SafeFileDescriptor? readEnd, out SafeFileDescriptor? writeEnd, out int actualCapacity) =>
        LinuxKernel.Instance.Pipe(flags, capacity, out readEnd, out writeEnd, out actualCapacity);

    public int ProcessId => ProcessIdOverride ?? LinuxKernel.Instance.ProcessId;

    /// <summary>As the real kernel, and while a test pretends to be a forked child (<see cref="ProcessIdOverride"/>).</summary>
    public bool MayHaveForked => ProcessIdOverride is not null || LinuxKernel.Instance.MayHaveForked;

    public string? ReadProcSelf(string name) => Fault(Syscall.ReadProcSelf) is null ? LinuxKernel.Instance.ReadProcSelf(name) : null;

    // ---- IKernel: devices and sysfs ----

    public Errno Open(string path, int flags, out SafeFileDescriptor? fd)
    {
        fd = null;
        FakeNode? node;
        lock (_lock)
        {
            _calls[Syscall.Open] = _calls.GetValueOrDefault(Syscall.Open) + 1;
            _opens[path] = _opens.GetValueOrDefault(path) + 1;
            if (TakeFault(Syscall.Open, 0, path) is { } injected)
            {
                return injected;
            }

            if (_access.TryGetValue(path, out var denied))
            {
                return denied;
            }

            if (!_nodes.TryGetValue(path, out node))
            {
                return Errno.ENOENT;
            }
        }

        var errno = node.Open(flags, out var state);
        if (errno != Errno.None)
        {
            return errno;
        }

        fd = Register(new FakeFile(node, path, state));
        return Errno.None;
    }

    public SafeFileDescriptor Adopt(int fd) => new(fd, Close);

    public Errno Access(string path)
    {
        lock (_lock)
        {
            if (_access.TryGetValue(path, out var denied))
            {
                return denied;
            }

            return _nodes.ContainsKey(path) ? Errno.None : Errno.ENOENT;
        }
    }

    public int Ioctl(SafeFileDescriptor fd, uint request, nint arg, out Errno errno)
    {
        var file = FileOf(fd);
        lock (_lock)
        {
            _calls[Syscall.Ioctl] = _calls.GetValueOrDefault(Syscall.Ioctl) + 1;
            _ioctls.Add(new IoctlRecord(file.Path, request, arg, file.Node.ArgumentBytes(request, arg)));
            if (TakeFault(Syscall.Ioctl, request, null) is { } injected)
            {
                errno = injected;
                return -1;
            }
        }

        var result = file.Node.Ioctl(this, file, request, arg, out errno);
        return errno == Errno.None ? result : -1;
    }

    public Errno MapShared(SafeFileDescriptor fd, ulong length, long offset, out SafeMappedRegion? region)
    {
        region = null;
        if (FileOf(fd.Value) is null)
        {
            // Not a fake driver's: a real descriptor (an io_uring ring) the real kernel maps.
            return LinuxKernel.Instance.MapShared(fd, length, offset, out region);
        }

        var file = FileOf(fd);
        lock (_lock)
        {
            if (TakeFault(Syscall.Mmap, 0, null) is { } injected)
            {
                return injected;
            }
        }

        var errno = file.Node.Mmap(file, length, offset, out var address);
        if (errno != Errno.None)
        {
            return errno;
        }

        Interlocked.Increment(ref _liveMappings);
        region = new SafeMappedRegion(address, length, (_, _) =>
        {
            Interlocked.Decrement(ref _liveMappings);
            return Errno.None;
        });
        return Errno.None;
    }

    public Errno Pread(SafeFileDescriptor fd, Span<byte> buffer, long offset, out int count)
    {
        var file = FileOf(fd);
        return file.Node.Pread(file, buffer, offset, out count);
    }

    public Errno Pwrite(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, long offset, out int count)
    {
        var file = FileOf(fd);
        return file.Node.Pwrite(file, buffer, offset, out count);
    }

    public Errno EventFd(uint initialValue, int flags, out SafeFileDescriptor? fd)
    {
        fd = null;
        return Fault(Syscall.EventFd) ?? LinuxKernel.Instance.EventFd(initialValue, flags, out fd);
    }

    public Errno EpollCreate(out SafeFileDescriptor? epoll) => LinuxKernel.Instance.EpollCreate(out epoll);

    public Errno EpollCtl(SafeFileDescriptor epoll, int op, SafeFileDescriptor fd, uint events, ulong data) =>
        LinuxKernel.Instance.EpollCtl(epoll, op, fd, events, data);

    /// <summary>The real epoll_wait, counted: a waiter that spins shows up as many calls.</summary>
    public Errno EpollWait(SafeFileDescriptor epoll, Span<EpollEvent> events, int timeoutMs, out int count)
    {
        lock (_lock)
        {
            _calls[Syscall.EpollWait] = _calls.GetValueOrDefault(Syscall.EpollWait) + 1;
        }

        return LinuxKernel.Instance.EpollWait(epoll, events, timeoutMs, out count);
    }

    public Errno Read(SafeFileDescriptor fd, Span<byte> buffer, out int count) => LinuxKernel.Instance.Read(fd, buffer, out count);

    public Errno Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, out int count) => LinuxKernel.Instance.Write(fd, buffer, out count);

    public string? ReadAttribute(string path) => _files.ReadAttribute(path);

    public Errno WriteAttribute(string path, string value) => _files.WriteAttribute(path, value);

    public string? ReadLink(string path) => _files.ReadLink(path);

    public IReadOnlyList<string> List(string directory, string pattern = "*")
    {
        var names = _files.List(directory, pattern).ToList();
        lock (_lock)
        {
            // Device nodes live in the fake's table, not the tree: list them where they are.
            foreach (var node in _nodes.Keys)
            {
                var name = Path.GetFileName(node);
                if (Path.GetDirectoryName(node) == directory && !names.Contains(name) && FileSystemName.MatchesSimpleExpression(pattern, name))
                {
                    names.Add(name);
                }
            }
        }

        names.Sort(SysfsFiles.NaturalOrder);
        return names;
    }

    public bool Exists(string path)
    {
        lock (_lock)
        {
            if (_nodes.ContainsKey(path))
            {
                return true;
            }
        }

        return _files.Exists(path);
    }

    public bool IsDirectory(string path) => _files.IsDirectory(path);

    /// <summary>A descriptor for a file a driver creates (VFIO_GROUP_GET_DEVICE_FD).</summary>
    internal int NewDescriptor(FakeNode node, string path, object? state)
    {
        lock (_lock)
        {
            var fd = _nextFd++;
            _open[fd] = new FakeFile(node, path, state) { Fd = fd };
            return fd;
        }
    }

    internal FakeFile? FileOf(int fd)
    {
        lock (_lock)
        {
            return _open.GetValueOrDefault(fd);
        }
    }

    public unsafe void Dispose()
    {
        foreach (var p in _allocations)
        {
            NativeMemory.AlignedFree((void*)p);
        }

        _allocations.Clear();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private SafeFileDescriptor Register(FakeFile file)
    {
        lock (_lock)
        {
            file.Fd = _nextFd++;
            _open[file.Fd] = file;
            return new SafeFileDescriptor(file.Fd, Close);
        }
    }

    private Errno Close(int fd)
    {
        FakeFile? file;
        lock (_lock)
        {
            if (!_open.Remove(fd, out file))
            {
                return Errno.EBADF;
            }
        }

        file.Node.Close(file);
        return Errno.None;
    }

    private FakeFile FileOf(SafeFileDescriptor fd)
    {
        ObjectDisposedException.ThrowIf(fd.IsClosed, fd);
        return FileOf(fd.Value) ?? throw new InvalidOperationException($"fd {fd.Value} is not open in the fake kernel");
    }

    private Errno? Fault(Syscall call)
    {
        lock (_lock)
        {
            _calls[call] = _calls.GetValueOrDefault(call) + 1;
            return TakeFault(call, 0, null);
        }
    }

    private void AddFault(Syscall call, uint request, string? path, Errno errno, int skip)
    {
        lock (_lock)
        {
            _faults.Add((call, request, path, errno, skip));
        }
    }

    // Caller holds _lock.
    private Errno? TakeFault(Syscall call, uint request, string? path)
    {
        for (var i = 0; i < _faults.Count; i++)
        {
            var f = _faults[i];
            if (f.Call != call || (call == Syscall.Ioctl && f.Request != request) || (f.Path is not null && f.Path != path))
            {
                continue;
            }

            if (f.Skip > 0)
            {
                _faults[i] = f with { Skip = f.Skip - 1 };
                return null;
            }

            _faults.RemoveAt(i);
            return f.Errno;
        }

        return null;
    }
}

/// <summary>One ioctl as the fake kernel received it: the argument's bytes when it was a pointer to a struct.</summary>
internal sealed record IoctlRecord(string Path, uint Request, nint Argument, byte[]? Bytes);

/// <summary>An open file of the fake kernel.</summary>
internal sealed class FakeFile(FakeNode node, string path, object? state)
{
    internal FakeNode Node { get; } = node;

    internal string Path { get; } = path;

    internal object? State { get; set; } = state;

    internal int Fd { get; set; }
}

/// <summary>A fake driver behind a device node.</summary>
internal abstract class FakeNode
{
    internal virtual Errno Open(int flags, out object? state)
    {
        state = null;
        return Errno.None;
    }

    internal virtual void Close(FakeFile file)
    {
    }

    /// <summary>
    /// How many bytes the request's argument has, to record them: 0 when the argument is an integer,
    /// -1 when it is a struct that starts with its own size (argsz).
    /// </summary>
    internal abstract int ArgumentSize(uint request);

    /// <summary>How many bytes to record for an argument whose size depends on its contents (a flexible array); <see cref="ArgumentSize"/> by default.</summary>
    internal virtual int ArgumentLength(uint request, nint arg) => ArgumentSize(request);

    internal abstract int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno);

    internal virtual Errno Mmap(FakeFile file, ulong length, long offset, out nint address)
    {
        address = 0;
        return Errno.ENODEV;
    }

    internal virtual Errno Pread(FakeFile file, Span<byte> buffer, long offset, out int count)
    {
        count = 0;
        return Errno.EINVAL;
    }

    internal virtual Errno Pwrite(FakeFile file, ReadOnlySpan<byte> buffer, long offset, out int count)
    {
        count = 0;
        return Errno.EINVAL;
    }

    internal unsafe byte[]? ArgumentBytes(uint request, nint arg)
    {
        var size = arg == 0 ? ArgumentSize(request) : ArgumentLength(request, arg);
        if (size < 0 && arg != 0)
        {
            size = (int)Math.Min(*(uint*)arg, 4096);
        }

        return size == 0 || arg == 0 ? null : new ReadOnlySpan<byte>((void*)arg, size).ToArray();
    }

    internal static unsafe uint U32(nint arg, int offset) => *(uint*)(arg + offset);

    internal static unsafe ulong U64(nint arg, int offset) => *(ulong*)(arg + offset);

    internal static unsafe void Put(nint arg, int offset, uint value) => *(uint*)(arg + offset) = value;

    internal static unsafe void Put(nint arg, int offset, ulong value) => *(ulong*)(arg + offset) = value;
}
