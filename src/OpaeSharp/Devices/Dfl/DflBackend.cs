using OpaeSharp.Devices.Kernel;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Objects;

namespace OpaeSharp.Devices.Dfl;

/// <summary>
/// FPGA cards driven by the DFL port driver (upstream, or the legacy intel-fpga driver): found in
/// sysfs, one FPGA_DEVICE per card (its FME) and one accelerator per port, opened through the port's
/// device node. Enumeration reads sysfs again every time, so cards that appear later are seen.
/// </summary>
internal sealed class DflBackend : IBackend
{
    private readonly IKernel _kernel;
    private readonly HugePages _pools;
    private readonly DflInterruptClaims _claims = new();

    internal DflBackend(IKernel kernel, DflDriver driver, HugePages? pools = null)
    {
        _kernel = kernel;
        Driver = driver;
        _pools = pools ?? new HugePages(kernel);
        Memory = new BufferAllocator(kernel, _pools);
    }

    public BackendKind Kind => BackendKind.Dfl;

    public string Name => Driver.Name;

    public BufferAllocator Memory { get; }

    public IKernel Kernel => _kernel;

    /// <summary>sysfs holds at least one card of this driver (an FME or a port); opens nothing.</summary>
    public bool IsPresent => FindCards().Count > 0;

    internal DflDriver Driver { get; }

    public IReadOnlyList<AcceleratorToken> Enumerate()
    {
        var tokens = new List<AcceleratorToken>();
        foreach (var card in FindCards())
        {
            var fmePath = card.Fme is null ? null : $"{card.Container}/{card.Fme}";
            var device = new AcceleratorToken(this, card.Fme ?? "pci:" + card.Pci)
            {
                ObjectType = FpgaObjectType.Device,
                Guid = card.InterfaceId,
                Segment = card.Pci.Segment,
                Bus = card.Pci.Bus,
                Device = card.Pci.Device,
                Function = card.Pci.Function,
                SocketId = card.SocketId,
                VendorId = card.VendorId,
                DeviceId = card.DeviceId,
                Name = card.Fme is null ? $"{Driver.Name}:{card.Pci}" : DflDriver.DevicePath(card.Fme),
                Interface = FpgaInterface.Dfl,
                SubsystemVendorId = card.SubsystemVendorId,
                SubsystemDeviceId = card.SubsystemDeviceId,
                Sysfs = fmePath is null ? null : _kernel,
                SysfsPath = fmePath,
                ObjectId = fmePath is null ? null : ObjectIdOf(fmePath),
                SlotCount = fmePath is null ? null : ReadNumber(fmePath + "/ports_num") is { } slots ? (uint)slots : null,
                BitstreamId = fmePath is null ? null : ReadNumber(fmePath + "/bitstream_id"),
                ErrorCount = fmePath is null ? 0 : (uint)ErrorRegisterList.Read(_kernel, fmePath).Count,
            };
            tokens.Add(device);
            foreach (var (port, afuId) in card.Ports)
            {
                var portPath = $"{card.Container}/{port}";
                tokens.Add(device.AcceleratorBelow(port, afuId, DflDriver.DevicePath(port), new AcceleratorDetails
                {
                    Sysfs = _kernel,
                    SysfsPath = portPath,
                    ObjectId = ObjectIdOf(portPath),
                    ErrorCount = (uint)ErrorRegisterList.Read(_kernel, portPath).Count,
                }));
            }
        }

        return tokens;
    }

    public IDevice Open(AcceleratorToken token, bool shared)
    {
        if (!ReferenceEquals(token.BackendImpl, this))
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{token.Name} was not found by the {Driver.Name} backend");
        }

        return DflDevice.OpenPort(_kernel, Driver, token.Name, shared, _claims);
    }

    public IDeviceInterrupts? OpenDeviceInterrupts(AcceleratorToken device)
    {
        if (!ReferenceEquals(device.BackendImpl, this) || device.ObjectType != FpgaObjectType.Device)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{device.Name} is not an FPGA device of the {Driver.Name} backend");
        }

        return DflFmeInterrupts.Open(_kernel, Driver, device.Name, _claims);
    }

    public IFpgaDevice OpenFpgaDevice(AcceleratorToken device)
    {
        if (!ReferenceEquals(device.BackendImpl, this) || device.ObjectType != FpgaObjectType.Device || device.SysfsPath is null)
        {
            throw new OpaeException(FpgaResult.InvalidParam, $"{device.Name} is not an FME the {Driver.Name} backend found");
        }

        return new DflFme(_kernel, Driver, device);
    }

    /// <summary>Whether this driver exposes a port this process can open, and if not, why.</summary>
    public BackendStatus Status()
    {
        var ports = Enumerate().Where(t => t.ObjectType == FpgaObjectType.Accelerator).ToList();
        if (ports.Count == 0)
        {
            var why = _kernel.List(Driver.ClassDirectory).Count == 0
                ? $"no driver: {Driver.ClassDirectory} is empty or missing; {Driver.LoadHint}"
                : $"the driver is loaded but exposes no {Driver.PortPrefix}N port (is a port released to a VF, or the card absent?)";
            return new BackendStatus(Driver.Name, Kind, false, why);
        }

        var usable = new List<string>();
        var problems = new List<string>();
        foreach (var port in ports)
        {
            var errno = _kernel.Access(port.Name);
            if (errno == Errno.None)
            {
                usable.Add(port.Name);
            }
            else
            {
                problems.Add(errno is Errno.EACCES or Errno.EPERM
                    ? $"no permission on {port.Name} (run as root, or grant access with a udev rule: docs/hardware.md)"
                    : $"{port.Name}: {Libc.StrError(errno)} (the device node is missing: is the port driver loaded?)");
            }
        }

        if (_pools.Free(PageSizes.Huge2M) == 0)
        {
            problems.Add($"no free 2 MiB hugepages: buffers over 4 KiB will fail with NO_MEMORY (reserve some: echo 8 | sudo tee {HugePages.ReservePath(PageSizes.Huge2M)})");
        }

        var detail = (usable.Count > 0 ? $"{usable.Count} port(s): {string.Join(", ", usable)}" : "no usable port")
            + (problems.Count > 0 ? "; " + string.Join("; ", problems) : "");
        return new BackendStatus(Driver.Name, Kind, usable.Count > 0, detail);
    }

    private List<Card> FindCards()
    {
        // Each card is one directory holding its FME and ports: /sys/class/fpga_region/regionN (DFL)
        // or /sys/class/fpga/intel-fpga-dev.N (legacy). Newer DFL kernels also list ports on a bus.
        var containers = new List<string>();
        foreach (var name in _kernel.List(Driver.ClassDirectory, Driver.ContainerPattern))
        {
            var path = $"{Driver.ClassDirectory}/{name}";
            containers.Add(_kernel.ReadLink(path) ?? path);
        }

        if (Driver.BusDirectory is { } bus)
        {
            foreach (var name in _kernel.List(bus, Driver.PortPrefix + "*"))
            {
                if (_kernel.ReadLink($"{bus}/{name}") is { } port && Path.GetDirectoryName(port) is { } container && !containers.Contains(container))
                {
                    containers.Add(container);
                }
            }
        }

        var cards = new List<Card>();
        foreach (var container in containers)
        {
            var ports = _kernel.List(container, Driver.PortPrefix + "*");
            var fmes = _kernel.List(container, Driver.FmePrefix + "*");
            if (ports.Count == 0 && fmes.Count == 0)
            {
                // A region of another FPGA framework (or a PR region below an FME).
                continue;
            }

            PciAddress.TryFindIn(container, out var pci, out var pciPath);
            var fme = fmes.Count > 0 ? fmes[0] : null;
            cards.Add(new Card(
                pci,
                fme,
                fme is null ? Guid.Empty : InterfaceIdOf(container, fme),
                ReadByte(fme is null ? null : $"{container}/{fme}/socket_id"),
                PciAddress.ParseId(pciPath.Length > 0 ? _kernel.ReadAttribute(pciPath + "/vendor") : null),
                PciAddress.ParseId(pciPath.Length > 0 ? _kernel.ReadAttribute(pciPath + "/device") : null),
                pciPath.Length > 0 && _kernel.ReadAttribute(pciPath + "/subsystem_vendor") is { } sv ? PciAddress.ParseId(sv) : null,
                pciPath.Length > 0 && _kernel.ReadAttribute(pciPath + "/subsystem_device") is { } sd ? PciAddress.ParseId(sd) : null,
                container,
                [.. ports.Select(p => (p, ParseGuid(_kernel.ReadAttribute($"{container}/{p}/afu_id"))))]));
        }

        return cards;
    }

    /// <summary>The id of the card's reconfigurable interface: what a partial bitstream must match.</summary>
    private Guid InterfaceIdOf(string container, string fme)
    {
        if (Driver.HasDirectionFlags)
        {
            return ParseGuid(_kernel.ReadAttribute($"{container}/{fme}/pr/interface_id"));
        }

        // Upstream: the FME's PR region is an fpga_region below the FME, whose compat_id is the interface id.
        foreach (var prRegion in _kernel.List($"{container}/{fme}", "dfl-fme-region.*"))
        {
            foreach (var region in _kernel.List($"{container}/{fme}/{prRegion}/fpga_region", "region*"))
            {
                var id = ParseGuid(_kernel.ReadAttribute($"{container}/{fme}/{prRegion}/fpga_region/{region}/compat_id"));
                if (id != Guid.Empty)
                {
                    return id;
                }
            }
        }

        return ParseGuid(_kernel.ReadAttribute($"{container}/compat_id"));
    }

    /// <summary>sysfs prints GUIDs as 32 hex digits ("d8424dc4a4a3c413f89e433683f9040b"), sometimes with dashes.</summary>
    internal static Guid ParseGuid(string? text) =>
        text is not null && Guid.TryParseExact(text.Replace("-", "", StringComparison.Ordinal), "N", out var guid) ? guid : Guid.Empty;

    private byte ReadByte(string? path) =>
        path is not null && byte.TryParse(_kernel.ReadAttribute(path), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : (byte)0;

    /// <summary>OPAE's object id: the device number of the FME or port node, (major &amp; 0xfff) &lt;&lt; 20 | (minor &amp; 0xfffff).</summary>
    internal static ulong? ObjectIdOf(ISysfs sysfs, string path)
    {
        var dev = sysfs.ReadAttribute(path + "/dev");
        var colon = dev?.IndexOf(':') ?? -1;
        if (dev is null || colon < 0
            || !uint.TryParse(dev.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture, out var major)
            || !uint.TryParse(dev.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var minor))
        {
            return null;
        }

        return ((ulong)(major & 0xFFF) << 20) | (minor & 0xFFFFF);
    }

    private ulong? ObjectIdOf(string path) => ObjectIdOf(_kernel, path);

    private ulong? ReadNumber(string path) => _kernel.ReadAttribute(path) is { } text ? Objects.SysfsObject.ParseUnsigned(text) : null;

    private sealed record Card(PciAddress Pci, string? Fme, Guid InterfaceId, byte SocketId, ushort VendorId, ushort DeviceId, ushort? SubsystemVendorId, ushort? SubsystemDeviceId, string Container, List<(string Port, Guid AfuId)> Ports);
}
