using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Vfio;

/// <summary>
/// The iommufd half of the fake: <c>/dev/iommu</c> with its IOAS objects and the function's VFIO
/// device cdev. Argument bytes are read at <c>linux/iommufd.h</c>'s and <c>linux/vfio.h</c>'s offsets.
/// </summary>
internal sealed partial class FakeVfio
{
    internal const string Cdev = "/dev/vfio/devices/vfio0";

    // Header facts: ';' << 8 | nr; device cdev ioctls at VFIO_BASE + 18 and 19, iommufd's from 0x80.
    private const uint DeviceBindIommufd = (Type << 8) | 118;
    private const uint DeviceAttachIommufdPt = (Type << 8) | 119;
    private const uint IoasAlloc = (Type << 8) | 0x81;
    private const uint IoasIovaRanges = (Type << 8) | 0x84;
    private const uint IoasMap = (Type << 8) | 0x85;
    private const uint IoasUnmap = (Type << 8) | 0x86;

    private const uint MapFixedIova = 1;
    private const uint MapWriteable = 2;
    private const uint MapReadable = 4;

    private Ioas? _ioas;
    private bool _cdevBound;

    /// <summary>True while a cdev user has the device bound to an iommufd.</summary>
    internal bool CdevBound => _cdevBound;

    /// <summary>The id of the IOAS the device is attached to, or null.</summary>
    internal uint? AttachedIoas
    {
        get
        {
            lock (_lock)
            {
                return _ioas?.Id;
            }
        }
    }

    /// <summary>The alignment IOMMU_IOAS_IOVA_RANGES reports.</summary>
    internal ulong IovaAlignment { get; set; } = 4096;

    private void AddIommufd(string function)
    {
        _kernel.MakeDirectory($"{function}/vfio-dev/vfio0");
        _kernel.AddNode("/dev/iommu", new IommufdNode(this));
        _kernel.AddNode(Cdev, new CdevNode(this));
    }

    private sealed class Ioas(uint id)
    {
        public uint Id { get; } = id;

        public bool DeviceAttached { get; set; }

        public Dictionary<ulong, (ulong Vaddr, ulong Size, uint Flags)> Mappings { get; } = [];
    }

    /// <summary>One open /dev/iommu: its objects.</summary>
    private sealed class IommufdContext
    {
        public Dictionary<uint, Ioas> Objects { get; } = [];

        public uint NextId { get; set; } = 1;
    }

    /// <summary>One open cdev: bound to which iommufd, attached to which IOAS.</summary>
    private sealed class CdevState
    {
        public IommufdContext? Bound { get; set; }

        public Ioas? Attached { get; set; }
    }

    private sealed class IommufdNode(FakeVfio vfio) : FakeNode
    {
        internal override Errno Open(int flags, out object? state)
        {
            state = new IommufdContext();
            return Errno.None;
        }

        internal override void Close(FakeFile file)
        {
            // Closing /dev/iommu destroys its objects and every mapping in them.
            lock (vfio._lock)
            {
                foreach (var ioas in ((IommufdContext)file.State!).Objects.Values)
                {
                    ioas.Mappings.Clear();
                }
            }
        }

        internal override int ArgumentSize(uint request) => request is IoasAlloc or IoasIovaRanges or IoasMap or IoasUnmap ? -1 : 0;

        internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
        {
            var context = (IommufdContext)file.State!;
            lock (vfio._lock)
            {
                return request switch
                {
                    IoasAlloc => Alloc(context, arg, out errno),
                    IoasIovaRanges => vfio.IovaRanges(context, arg, out errno),
                    IoasMap => vfio.IoasMapping(context, arg, out errno),
                    IoasUnmap => IoasUnmapping(context, arg, out errno),
                    _ => Fail(Errno.ENOTTY, out errno),
                };
            }
        }

        private static int Alloc(IommufdContext context, nint arg, out Errno errno)
        {
            if (U32(arg, 0) < 12 || U32(arg, 4) != 0)
            {
                return Fail(Errno.EINVAL, out errno);
            }

            var id = context.NextId++;
            context.Objects[id] = new Ioas(id);
            Put(arg, 8, id);
            errno = Errno.None;
            return 0;
        }

        private static int IoasUnmapping(IommufdContext context, nint arg, out Errno errno)
        {
            if (U32(arg, 0) < 24)
            {
                return Fail(Errno.EINVAL, out errno);
            }

            if (!context.Objects.TryGetValue(U32(arg, 4), out var ioas))
            {
                return Fail(Errno.ENOENT, out errno);
            }

            var iova = U64(arg, 8);
            var length = U64(arg, 16);
            if (!ioas.Mappings.TryGetValue(iova, out var m) || m.Size != length)
            {
                // Splitting or missing: the kernel unmaps nothing.
                return Fail(Errno.ENOENT, out errno);
            }

            ioas.Mappings.Remove(iova);
            Put(arg, 16, length);
            errno = Errno.None;
            return 0;
        }
    }

    private sealed class CdevNode(FakeVfio owner) : DeviceNode(owner)
    {
        internal override Errno Open(int flags, out object? state)
        {
            state = new CdevState();
            return Errno.None;
        }

        internal override void Close(FakeFile file)
        {
            // Closing the cdev detaches and unbinds; the IOAS and its mappings stay with /dev/iommu.
            base.Close(file);
            var state = (CdevState)file.State!;
            lock (Owner._lock)
            {
                if (state.Attached is { } ioas)
                {
                    ioas.DeviceAttached = false;
                    Owner._ioas = null;
                }

                if (state.Bound is not null)
                {
                    Owner._cdevBound = false;
                }
            }
        }

        internal override int ArgumentSize(uint request) =>
            request is DeviceBindIommufd or DeviceAttachIommufdPt ? -1 : base.ArgumentSize(request);

        internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
        {
            var state = (CdevState)file.State!;
            switch (request)
            {
                case DeviceBindIommufd:
                    {
                        if (U32(arg, 0) < 16 || U32(arg, 4) != 0 || state.Bound is not null)
                        {
                            return Fail(Errno.EINVAL, out errno);
                        }

                        if (kernel.FileOf((int)U32(arg, 8)) is not { State: IommufdContext context })
                        {
                            return Fail(Errno.EBADF, out errno);
                        }

                        lock (Owner._lock)
                        {
                            // The legacy group user blocks the cdev; a device opens through one cdev at a time.
                            if (Owner._groupOpen)
                            {
                                return Fail(Errno.EBUSY, out errno);
                            }

                            if (Owner._cdevBound)
                            {
                                return Fail(Errno.EINVAL, out errno);
                            }

                            Owner._cdevBound = true;
                        }

                        state.Bound = context;
                        Put(arg, 12, 1u);
                        errno = Errno.None;
                        return 0;
                    }

                case DeviceAttachIommufdPt:
                    {
                        if (U32(arg, 0) < 12 || U32(arg, 4) != 0 || state.Bound is null)
                        {
                            return Fail(Errno.EINVAL, out errno);
                        }

                        lock (Owner._lock)
                        {
                            if (!state.Bound.Objects.TryGetValue(U32(arg, 8), out var ioas))
                            {
                                return Fail(Errno.ENOENT, out errno);
                            }

                            ioas.DeviceAttached = true;
                            state.Attached = ioas;
                            Owner._ioas = ioas;
                        }

                        errno = Errno.None;
                        return 0;
                    }

                default:
                    return base.Ioctl(kernel, file, request, arg, out errno);
            }
        }

        protected override bool Ready(FakeFile file) => ((CdevState)file.State!).Bound is not null;
    }

    // Caller holds _lock.
    private unsafe int IovaRanges(IommufdContext context, nint arg, out Errno errno)
    {
        if (U32(arg, 0) < 32 || U32(arg, 12) != 0)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        if (!context.Objects.TryGetValue(U32(arg, 4), out var ioas))
        {
            return Fail(Errno.ENOENT, out errno);
        }

        // A fresh IOAS allows everything; an attached device narrows it to its IOMMU's ranges.
        List<(ulong Start, ulong End)> ranges = ioas.DeviceAttached ? Ranges : [(0, ulong.MaxValue)];
        var room = U32(arg, 8);
        Put(arg, 8, (uint)ranges.Count);
        Put(arg, 24, IovaAlignment);
        if (room < ranges.Count)
        {
            return Fail(Errno.EMSGSIZE, out errno);
        }

        var array = (ulong*)U64(arg, 16);
        for (var i = 0; i < ranges.Count; i++)
        {
            array[2 * i] = ranges[i].Start;
            array[(2 * i) + 1] = ranges[i].End;
        }

        errno = Errno.None;
        return 0;
    }

    // Caller holds _lock.
    private int IoasMapping(IommufdContext context, nint arg, out Errno errno)
    {
        var size = U32(arg, 0);
        var flags = U32(arg, 4);
        var vaddr = U64(arg, 16);
        var length = U64(arg, 24);
        var iova = U64(arg, 32);
        if (size < 40 || U32(arg, 12) != 0 || (flags & ~(MapFixedIova | MapWriteable | MapReadable)) != 0)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        // Without FIXED_IOVA the kernel would pick the address; the library must always choose it.
        if ((flags & MapFixedIova) == 0 || (flags & (MapReadable | MapWriteable)) == 0 || length == 0 || ((vaddr | iova | length) & (IovaAlignment - 1)) != 0)
        {
            return Fail(Errno.EINVAL, out errno);
        }

        if (!context.Objects.TryGetValue(U32(arg, 8), out var ioas))
        {
            return Fail(Errno.ENOENT, out errno);
        }

        if (ioas.DeviceAttached && !Ranges.Any(r => iova >= r.Start && iova + length - 1 <= r.End))
        {
            return Fail(Errno.EINVAL, out errno);
        }

        if (ioas.Mappings.Any(m => iova < m.Key + m.Value.Size && m.Key < iova + length))
        {
            return Fail(Errno.EEXIST, out errno);
        }

        ioas.Mappings[iova] = (vaddr, length, flags);
        errno = Errno.None;
        return 0;
    }
}
