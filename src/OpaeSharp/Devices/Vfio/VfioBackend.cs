using System.Globalization;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Memory;

namespace OpaeSharp.Devices.Vfio;

/// <summary>
/// PCI functions bound to vfio-pci: one FPGA_DEVICE and one accelerator per function. Opening
/// attaches the function to an iommufd IOAS where the kernel offers device cdevs (Linux 6.6+), else
/// to a type1v2 container for its IOMMU group (<see cref="VfioOptions.Iommu"/> forces one); shared
/// handles share it.
/// </summary>
/// <remarks>
/// Enumeration reads sysfs only. The AFU id lives in BAR 0's feature list, which only an open of
/// the device can read, and vfio-pci resets a function on open: so it is read when first asked for
/// (one short open, <see cref="VfioAfuProbe"/>), or taken from the session when the accelerator is
/// opened, never more than once per token.
/// </remarks>
internal sealed class VfioBackend : IBackend
{
    internal const string PciDevices = "/sys/bus/pci/devices";
    internal const string DriverName = "vfio-pci";

    private readonly IKernel _kernel;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _open = [];
    private readonly Dictionary<string, TaskCompletionSource> _probing = [];

    internal VfioBackend(IKernel kernel, VfioOptions options)
    {
        _kernel = kernel;
        Options = options;
        Memory = new BufferAllocator(kernel, new HugePages(kernel));
    }

    public BackendKind Kind => BackendKind.Vfio;

    public string Name => "vfio";

    public BufferAllocator Memory { get; }

    public IKernel Kernel => _kernel;

    /// <summary>A function with an FPGA card's PCI id (or listed in OPAESHARP_VFIO_DEVICES) is bound to vfio-pci.</summary>
    public bool IsPresent => FindFunctions().Count > 0;

    internal VfioOptions Options { get; }

    public IReadOnlyList<AcceleratorToken> Enumerate()
    {
        var tokens = new List<AcceleratorToken>();
        foreach (var function in FindFunctions())
        {
            if (function.Group is null)
            {
                continue;
            }

            var address = function.Address.ToString();
            var group = function.Group;
            var device = new AcceleratorToken(this, "pci:" + function.Address)
            {
                ObjectType = FpgaObjectType.Device,
                Segment = function.Address.Segment,
                Bus = function.Address.Bus,
                Device = function.Address.Device,
                Function = function.Address.Function,
                SocketId = function.Socket,
                VendorId = function.VendorId,
                DeviceId = function.DeviceId,
                Interface = FpgaInterface.Vfio,
                Name = $"vfio:{function.Address}",
            };
            tokens.Add(device);
            tokens.Add(device.AcceleratorBelow(address, $"vfio:{function.Address}/group{group}", () => Identify(address, group)));
        }

        return tokens;
    }

    public IDevice Open(AcceleratorToken token, bool shared)
    {
        if (!ReferenceEquals(token.BackendImpl, this))
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{token.Name} was not found by the vfio backend");
        }

        var address = token.Key;
        while (true)
        {
            Task? probe;
            lock (_lock)
            {
                if (!_probing.TryGetValue(address, out var running))
                {
                    if (_open.TryGetValue(address, out var entry))
                    {
                        if (entry.Exclusive || !shared || entry.Session is null)
                        {
                            throw new OpaeException(FpgaResult.Busy, $"{address} is already open{(entry.Exclusive ? " exclusively" : "")} in this process; open it shared from every handle");
                        }

                        entry.References++;
                        token.Learn(entry.Session.AfuIdentity);
                        return new VfioDevice(entry.Session, token.Name, () => Release(address));
                    }

                    // Claimed before the syscalls, which run outside the lock.
                    _open[address] = new Entry { Exclusive = !shared, References = 1 };
                    break;
                }

                probe = running.Task;
            }

            // An enumeration is reading this function's AFU id and holds its group for a moment.
            probe.Wait();
        }

        try
        {
            var group = GroupOf(address) ?? throw new OpaeException(FpgaResult.NoDriver, $"{address} has no IOMMU group: is the IOMMU on (intel_iommu=on) and the function bound to vfio-pci?");
            var session = VfioSession.Open(_kernel, address, group, Options);
            lock (_lock)
            {
                _open[address].Session = session;
            }

            // Read through the session just opened: nothing else needs to open the device for it.
            token.Learn(session.AfuIdentity);
            return new VfioDevice(session, token.Name, () => Release(address));
        }
        catch
        {
            lock (_lock)
            {
                _open.Remove(address);
            }

            throw;
        }
    }

    /// <summary>A function bound to vfio-pci has no FME of its own to open.</summary>
    public IDeviceInterrupts? OpenDeviceInterrupts(AcceleratorToken device) => null;

    /// <summary>Whether a function bound to vfio-pci can be opened, and if not, why (sysfs and permissions only: opens nothing).</summary>
    public IFpgaDevice OpenFpgaDevice(AcceleratorToken device) =>
        throw new OpaeException(FpgaResult.NotSupported, $"{device.Name}: a function bound to vfio-pci has no FME to reconfigure through (OPAE's vfio plugin cannot either)");

    public BackendStatus Status()
    {
        var errno = _kernel.Access("/dev/vfio/vfio");
        if (errno == Errno.ENOENT && _kernel.Access(VfioIommufd.IommuNode) == Errno.ENOENT)
        {
            return new BackendStatus("vfio", Kind, false, "no driver: /dev/vfio/vfio is missing (modprobe vfio-pci)");
        }

        var functions = FindFunctions();
        if (functions.Count == 0)
        {
            return new BackendStatus("vfio", Kind, false, $"no FPGA function is bound to {DriverName} (bind one: docs/hardware.md; another device only when listed in {VfioOptions.DevicesVariable})");
        }

        var usable = new List<string>();
        var problems = new List<string>();
        foreach (var function in functions)
        {
            var address = function.Address.ToString();
            if (function.Group is null)
            {
                problems.Add($"{address} has no IOMMU group: no IOMMU (enable VT-d/AMD-Vi and boot with intel_iommu=on or amd_iommu=on)");
                continue;
            }

            string? cdev;
            try
            {
                cdev = VfioSession.ChooseIommu(_kernel, address, Options.Iommu);
            }
            catch (OpaeException e)
            {
                problems.Add(e.Message);
                continue;
            }

            if (cdev is not null)
            {
                usable.Add($"{address} (group {function.Group}, iommufd through {cdev})");
                continue;
            }

            var groupErrno = _kernel.Access($"/dev/vfio/{function.Group}");
            if (errno == Errno.ENOENT)
            {
                problems.Add($"/dev/vfio/vfio is missing for {address}: the kernel offers no type1 container (use iommufd, or modprobe vfio-pci)");
            }
            else if (errno is Errno.EACCES or Errno.EPERM)
            {
                problems.Add($"no permission on /dev/vfio/vfio for {address}");
            }
            else if (groupErrno == Errno.None)
            {
                usable.Add($"{address} (group {function.Group}, type1v2)");
            }
            else if (groupErrno is Errno.EACCES or Errno.EPERM)
            {
                problems.Add($"no permission on /dev/vfio/{function.Group} for {address} (run as root, or chown the group node: docs/hardware.md)");
            }
            else
            {
                problems.Add($"/dev/vfio/{function.Group} for {address}: {Libc.StrError(groupErrno)}");
            }
        }

        if (MemoryLimits.MemlockLimit() is { } limit && limit < (64UL << 20))
        {
            problems.Add($"RLIMIT_MEMLOCK is {limit / 1024} KiB: VFIO pins every buffer against it, so it caps the total size of prepared buffers (raise it: ulimit -l, docs/hardware.md)");
        }

        var detail = (usable.Count > 0 ? $"{usable.Count} function(s): {string.Join(", ", usable)}" : "no usable function")
            + (problems.Count > 0 ? "; " + string.Join("; ", problems) : "");
        return new BackendStatus("vfio", Kind, usable.Count > 0, detail);
    }

    /// <summary>
    /// The AFU id of a function: from its session when this process has it open, else read from
    /// BAR 0 by opening the device for a moment. Opens of the same function wait for the probe.
    /// </summary>
    private AfuIdentity Identify(string address, string group)
    {
        TaskCompletionSource mine;
        while (true)
        {
            Task? running = null;
            lock (_lock)
            {
                if (_open.TryGetValue(address, out var entry))
                {
                    return entry.Session?.AfuIdentity ?? new AfuIdentity(Guid.Empty, "another thread of this process is opening it");
                }

                if (_probing.TryGetValue(address, out var other))
                {
                    running = other.Task;
                }
                else
                {
                    mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _probing[address] = mine;
                    break;
                }
            }

            running.Wait();
        }

        try
        {
            return VfioAfuProbe.Read(_kernel, address, group, Options);
        }
        finally
        {
            lock (_lock)
            {
                _probing.Remove(address);
            }

            mine.SetResult();
        }
    }

    /// <summary>Open sessions (for tests).</summary>
    internal VfioSession? SessionOf(string address)
    {
        lock (_lock)
        {
            return _open.TryGetValue(address, out var entry) ? entry.Session : null;
        }
    }

    private void Release(string address)
    {
        VfioSession? closing = null;
        lock (_lock)
        {
            if (_open.TryGetValue(address, out var entry) && --entry.References == 0)
            {
                _open.Remove(address);
                closing = entry.Session;
            }
        }

        closing?.Dispose();
    }

    private string? GroupOf(string address) =>
        _kernel.ReadLink($"{PciDevices}/{address}/iommu_group") is { } link ? Path.GetFileName(link) : null;

    private List<Function> FindFunctions()
    {
        var result = new List<Function>();
        foreach (var name in _kernel.List(PciDevices))
        {
            if (!PciAddress.TryParse(name, out var address))
            {
                continue;
            }

            if (Options.Devices is { } wanted && !wanted.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var driver = _kernel.ReadLink($"{PciDevices}/{name}/driver");
            if (driver is null || Path.GetFileName(driver) != DriverName)
            {
                continue;
            }

            var vendor = PciAddress.ParseId(_kernel.ReadAttribute($"{PciDevices}/{name}/vendor"));
            var device = PciAddress.ParseId(_kernel.ReadAttribute($"{PciDevices}/{name}/device"));
            if (Options.Devices is null && !VfioOptions.IsKnownFpga(vendor, device))
            {
                // Not ours to open (and reset): only listed functions are used beyond known FPGA ids.
                continue;
            }

            var numa = _kernel.ReadAttribute($"{PciDevices}/{name}/numa_node");
            result.Add(new Function(
                address,
                GroupOf(name),
                vendor,
                device,
                byte.TryParse(numa, CultureInfo.InvariantCulture, out var node) ? node : (byte)0));
        }

        return result;
    }

    private sealed record Function(PciAddress Address, string? Group, ushort VendorId, ushort DeviceId, byte Socket);

    private sealed class Entry
    {
        public bool Exclusive { get; init; }

        public int References { get; set; }

        public VfioSession? Session { get; set; }
    }
}
