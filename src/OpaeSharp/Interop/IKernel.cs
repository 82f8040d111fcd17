namespace OpaeSharp.Interop;

/// <summary>
/// The one seam between the library and the kernel: every system call the library makes on memory
/// it shares with a device, on device nodes, and every sysfs read. <see cref="LinuxKernel"/> is the
/// real one and calls <see cref="Libc"/> directly; tests substitute a fake that injects failures,
/// traces mappings, checks each ioctl's bytes against the UAPI layouts and answers like a driver.
/// </summary>
/// <remarks>
/// Paths are absolute paths of the real system (<c>/dev/dfl-port.0</c>, <c>/sys/class/fpga_region</c>);
/// an implementation may serve them from elsewhere (a sysfs tree in a temporary folder).
/// Calls return the errno rather than throwing: the layers above turn it into an OPAE result.
/// Implementations are thread-safe.
/// </remarks>
internal interface IKernel : ISysfs
{
    // ---- memory ----

    /// <summary><c>mmap</c>; returns <see cref="Libc.MapFailed"/> and the errno on failure.</summary>
    nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset, out Errno errno);

    /// <summary><c>munmap</c>.</summary>
    Errno Munmap(nint address, nuint length);

    /// <summary><c>mlock</c>: faults the range in and keeps it resident (charged to RLIMIT_MEMLOCK).</summary>
    Errno Mlock(nint address, nuint length);

    /// <summary><c>munlock</c>.</summary>
    Errno Munlock(nint address, nuint length);

    /// <summary><c>madvise</c>.</summary>
    Errno Madvise(nint address, nuint length, int advice);

    /// <summary>
    /// <c>msync(MS_ASYNC)</c> does no I/O on current kernels but fails with ENOMEM when any page of
    /// the range is not mapped, which makes it the cheapest "is all of this mapped?" question.
    /// </summary>
    Errno Msync(nint address, nuint length, int flags);

    /// <summary>Copies from this process's memory at <paramref name="address"/>: EFAULT where nothing readable is mapped, never a signal.</summary>
    Errno ProcessVmRead(nint address, Span<byte> destination, out int count);

    /// <summary>Copies into this process's memory at <paramref name="address"/>: EFAULT where nothing writable is mapped, never a signal.</summary>
    Errno ProcessVmWrite(nint address, ReadOnlySpan<byte> source, out int count);

    // ---- pinning pages without mlock: io_uring registered buffers ----

    /// <summary><c>io_uring_setup</c>.</summary>
    Errno IoUringSetup(uint entries, ref IoUring.io_uring_params parameters, out SafeFileDescriptor? fd);

    /// <summary><c>io_uring_enter</c>, waiting for <paramref name="minComplete"/> completions.</summary>
    Errno IoUringEnter(SafeFileDescriptor fd, uint toSubmit, uint minComplete, uint flags, out int submitted);

    /// <summary><c>io_uring_register</c>: registering a buffer pins its pages.</summary>
    Errno IoUringRegister(SafeFileDescriptor fd, uint opcode, nint arg, uint count);

    /// <summary><c>pipe2</c> with <paramref name="flags"/> | O_CLOEXEC; the capacity is raised towards <paramref name="capacity"/> where the kernel allows.</summary>
    Errno Pipe(int flags, int capacity, out SafeFileDescriptor? readEnd, out SafeFileDescriptor? writeEnd, out int actualCapacity);

    // ---- this process ----

    /// <summary>The calling process's id, asked of the kernel each time (a forked child gets its own).</summary>
    int ProcessId { get; }

    /// <summary>
    /// False when this process is certainly not a forked child of the one that made the library's
    /// handles, so no <see cref="ProcessId"/> system call is needed to tell; true when it may be.
    /// Answered without a system call (see <see cref="ForkFlag"/>).
    /// </summary>
    bool MayHaveForked { get; }

    /// <summary>
    /// The text of <c>/proc/self/<paramref name="name"/></c> (maps, smaps, status), or null when it
    /// cannot be read (no free descriptor, no /proc). Never throws.
    /// </summary>
    string? ReadProcSelf(string name);

    // ---- device nodes ----

    /// <summary>Opens a device node.</summary>
    Errno Open(string path, int flags, out SafeFileDescriptor? fd);

    /// <summary>Takes ownership of a descriptor an ioctl returned (VFIO_GROUP_GET_DEVICE_FD).</summary>
    SafeFileDescriptor Adopt(int fd);

    /// <summary>Checks that the process may open <paramref name="path"/> for reading and writing (ENOENT when absent).</summary>
    Errno Access(string path);

    /// <summary><c>ioctl</c>; <paramref name="arg"/> is a pointer to the request's struct or an integer, as the request defines.</summary>
    int Ioctl(SafeFileDescriptor fd, uint request, nint arg, out Errno errno);

    /// <summary>Maps <paramref name="length"/> bytes of a device region at <paramref name="offset"/> shared, read-write.</summary>
    Errno MapShared(SafeFileDescriptor fd, ulong length, long offset, out SafeMappedRegion? region);

    /// <summary><c>pread</c> on a device descriptor.</summary>
    Errno Pread(SafeFileDescriptor fd, Span<byte> buffer, long offset, out int count);

    /// <summary><c>pwrite</c> on a device descriptor.</summary>
    Errno Pwrite(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, long offset, out int count);

    /// <summary><c>eventfd(initval, EFD_CLOEXEC | flags)</c>: a counter the kernel (or the simulator) signals and a program polls.</summary>
    Errno EventFd(uint initialValue, int flags, out SafeFileDescriptor? fd);

    /// <summary><c>read</c> (an eventfd's 8-byte counter).</summary>
    Errno Read(SafeFileDescriptor fd, Span<byte> buffer, out int count);

    /// <summary><c>write</c> (adds to an eventfd's counter).</summary>
    Errno Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer, out int count);

    /// <summary><c>epoll_create1(EPOLL_CLOEXEC)</c>: a set of descriptors to wait on together.</summary>
    Errno EpollCreate(out SafeFileDescriptor? epoll);

    /// <summary><c>epoll_ctl</c>: adds (<c>EPOLL_CTL_ADD</c>), re-arms (<c>MOD</c>) or removes (<c>DEL</c>) <paramref name="fd"/>; <paramref name="data"/> comes back with its reports.</summary>
    Errno EpollCtl(SafeFileDescriptor epoll, int op, SafeFileDescriptor fd, uint events, ulong data);

    /// <summary><c>epoll_wait</c>: blocks until a descriptor is ready or <paramref name="timeoutMs"/> passes (-1: no limit).</summary>
    Errno EpollWait(SafeFileDescriptor epoll, Span<EpollEvent> events, int timeoutMs, out int count);
}
