using OpaeSharp.Devices.Simulated.Afus;
using System.Buffers.Binary;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Devices.Vfio;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Vfio;

/// <summary>vfio-pci through iommufd: the device cdev bound to /dev/iommu and attached to an IOAS we map into.</summary>
public sealed class VfioIommufdTests : IDisposable
{
    private const uint Bind = 0x3b76;
    private const uint Attach = 0x3b77;
    private const uint IoasAlloc = 0x3b81;
    private const uint IovaRanges = 0x3b84;
    private const uint IoasMap = 0x3b85;
    private const uint IoasUnmap = 0x3b86;
    private const uint DeviceGetInfo = 0x3b6b;

    private readonly FakeKernel _kernel = new();
    private readonly FakeVfio _vfio;
    private VfioBackend? _backend;

    public VfioIommufdTests() => _vfio = new FakeVfio(_kernel, iommufd: true);

    [Fact]
    public void Auto_attaches_through_iommufd_when_dev_iommu_and_the_device_cdev_exist()
    {
        var token = Token();
        var before = _kernel.Ioctls.Count;
        using var acc = Accelerator.Open(token);

        var calls = _kernel.Ioctls.Skip(before).ToList();
        Assert.Equal([Bind, IoasAlloc, Attach, IovaRanges], calls.Select(c => c.Request).Take(4));
        Assert.Equal(DeviceGetInfo, calls.Select(c => c.Request).SkipWhile(r => r == IovaRanges || r is Bind or IoasAlloc or Attach).First());
        Assert.DoesNotContain(calls, c => c.Path.StartsWith("/dev/vfio/vfio", StringComparison.Ordinal) || c.Path == "/dev/vfio/7");
        Assert.Equal("iommufd", Session().IommuKind);
        Assert.True(_vfio.CdevBound);
    }

    [Fact]
    public void Bind_passes_the_open_iommufd_in_a_16_byte_argument()
    {
        using var acc = Open();

        var bytes = _kernel.Ioctls.Last(c => c.Request == Bind).Bytes!;
        Assert.Equal(16, bytes.Length);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("/dev/iommu", _kernel.FileOf(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)))?.Path);
    }

    [Fact]
    public void Attach_names_the_allocated_ioas_in_a_12_byte_argument()
    {
        using var acc = Open();

        var alloc = _kernel.Ioctls.Last(c => c.Request == IoasAlloc).Bytes!;
        var attach = _kernel.Ioctls.Last(c => c.Request == Attach).Bytes!;
        Assert.Equal(12u, BinaryPrimitives.ReadUInt32LittleEndian(alloc));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(alloc.AsSpan(4)));
        Assert.Equal(12u, BinaryPrimitives.ReadUInt32LittleEndian(attach));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(attach.AsSpan(4)));
        Assert.Equal(_vfio.AttachedIoas, BinaryPrimitives.ReadUInt32LittleEndian(attach.AsSpan(8)));
    }

    [Fact]
    public void Map_is_fixed_iova_readable_and_writeable_and_read_only_is_readable_only()
    {
        using var acc = Open();
        using var rw = acc.PrepareBuffer(4096);
        var rwBytes = _kernel.Ioctls.Last(c => c.Request == IoasMap).Bytes!;
        using var ro = acc.PrepareBuffer(4096, BufferFlags.ReadOnly);
        var roBytes = _kernel.Ioctls.Last(c => c.Request == IoasMap).Bytes!;

        Assert.Equal(40u, BinaryPrimitives.ReadUInt32LittleEndian(rwBytes));
        Assert.Equal(Iommufd.IOMMU_IOAS_MAP_FIXED_IOVA | Iommufd.IOMMU_IOAS_MAP_READABLE | Iommufd.IOMMU_IOAS_MAP_WRITEABLE, BinaryPrimitives.ReadUInt32LittleEndian(rwBytes.AsSpan(4)));
        Assert.Equal(_vfio.AttachedIoas, BinaryPrimitives.ReadUInt32LittleEndian(rwBytes.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(rwBytes.AsSpan(12)));
        Assert.Equal((ulong)rw.Address, BinaryPrimitives.ReadUInt64LittleEndian(rwBytes.AsSpan(16)));
        Assert.Equal(4096UL, BinaryPrimitives.ReadUInt64LittleEndian(rwBytes.AsSpan(24)));
        Assert.Equal(rw.IoAddress, BinaryPrimitives.ReadUInt64LittleEndian(rwBytes.AsSpan(32)));
        Assert.Equal(Iommufd.IOMMU_IOAS_MAP_FIXED_IOVA | Iommufd.IOMMU_IOAS_MAP_READABLE, BinaryPrimitives.ReadUInt32LittleEndian(roBytes.AsSpan(4)));
    }

    [Fact]
    public void Release_sends_a_24_byte_unmap_of_the_whole_mapping()
    {
        using var acc = Open();
        var buffer = acc.PrepareBuffer(8192);
        var iova = buffer.IoAddress;
        buffer.Dispose();

        var bytes = _kernel.Ioctls.Last(c => c.Request == IoasUnmap).Bytes!;
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(_vfio.AttachedIoas, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(iova, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(8192UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Empty(_vfio.Mappings);
    }

    [Fact]
    public void Iova_ranges_are_asked_again_with_room_when_the_kernel_says_emsgsize_and_io_addresses_stay_inside()
    {
        _vfio.Ranges.Clear();
        _vfio.Ranges.AddRange([(0, 0xf_ffff), (0x4000_0000, 0x4000_1fff), (0x8000_0000, 0x8000_ffff)]);
        using var acc = Open();
        using var a = acc.PrepareBuffer(4096);
        using var b = acc.PrepareBuffer(4096);

        var queries = _kernel.Ioctls.Where(c => c.Request == IovaRanges).Select(c => c.Bytes!).ToList();
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(queries[^2].AsSpan(8)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(queries[^1].AsSpan(8)));
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(queries[^1]));
        Assert.InRange(a.IoAddress, 0x4000_0000UL, 0x4000_1fffUL);
        Assert.InRange(b.IoAddress, 0x8000_0000UL, 0x8000_ffffUL);
    }

    [Fact]
    public void Type1_forced_by_the_option_uses_the_container_even_where_iommufd_exists()
    {
        using var acc = Open(new VfioOptions { Iommu = VfioIommuMode.Type1 });
        Assert.Equal("type1v2", Session().IommuKind);
        Assert.False(_vfio.CdevBound);
    }

    [Fact]
    public void Auto_falls_back_to_the_type1_container_when_dev_iommu_may_not_be_opened()
    {
        _kernel.DenyAccess("/dev/iommu", Errno.EACCES);
        using var acc = Open();
        Assert.Equal("type1v2", Session().IommuKind);
    }

    [Fact]
    public void Iommufd_forced_where_the_device_has_no_cdev_is_no_driver_naming_the_variable()
    {
        using var kernel = new FakeKernel();
        _ = new FakeVfio(kernel);
        var forced = new VfioBackend(kernel, new VfioOptions { Iommu = VfioIommuMode.Iommufd });
        var forcedToken = forced.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator);

        var e = Assert.Throws<OpaeException>(() => Accelerator.Open(forcedToken));

        Assert.Equal(FpgaResult.NoDriver, e.Result);
        Assert.Contains(VfioOptions.IommuVariable, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, kernel.OpenDescriptors);
    }

    public static TheoryData<uint, int> OpenSteps => new()
    {
        { Bind, (int)Errno.EFAULT },
        { IoasAlloc, (int)Errno.ENOMEM },
        { Attach, (int)Errno.EINVAL },
        { IovaRanges, (int)Errno.EINVAL },
        { DeviceGetInfo, (int)Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(OpenSteps))]
    public void A_failure_at_any_iommufd_step_closes_everything_opened_before_it(uint request, int errno)
    {
        var token = Token();
        _kernel.FailIoctl(request, (Errno)errno);

        Assert.Throws<OpaeException>(() => Accelerator.Open(token));

        Assert.Equal(0, _kernel.OpenDescriptors);
        Assert.Equal(0, _kernel.LiveMappings);
        Assert.False(_vfio.CdevBound);
    }

    [Fact]
    public void A_device_another_process_has_bound_is_busy()
    {
        var elsewhere = new VfioBackend(_kernel, new VfioOptions());
        using var other = Accelerator.Open(elsewhere.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator));

        var e = Assert.Throws<OpaeException>(() => Open());

        Assert.Equal(FpgaResult.Busy, e.Result);
    }

    [Fact]
    public void A_locked_memory_refusal_is_no_memory_naming_rlimit_memlock()
    {
        using var acc = Open();
        _kernel.FailIoctl(IoasMap, Errno.ENOMEM);

        var e = Assert.Throws<OpaeException>(() => acc.PrepareBuffer(4096, BufferFlags.Quiet));

        Assert.Equal(FpgaResult.NoMemory, e.Result);
        Assert.Contains("RLIMIT_MEMLOCK", e.Message, StringComparison.Ordinal);
        Assert.Empty(_vfio.Mappings);
    }

    [Fact]
    public void Enumeration_reads_the_afu_id_through_iommufd_and_unbinds_again()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);

        Assert.Equal(Nlb0Afu.Id, Token().Guid);
        Assert.Contains(_kernel.Ioctls, c => c.Request == Bind);
        Assert.False(_vfio.CdevBound);
        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    [Fact]
    public void A_device_bound_by_another_process_has_an_empty_afu_id_and_the_token_says_it_is_busy()
    {
        _vfio.LoadAfu(Nlb0Afu.Id);
        var elsewhere = new VfioBackend(_kernel, new VfioOptions());
        using var other = Accelerator.Open(elsewhere.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator));
        var backend = new VfioBackend(_kernel, new VfioOptions());

        var token = backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator);
        Assert.Equal(Guid.Empty, token.Guid);
        Assert.Contains("AFU id unknown", token.ToString(), StringComparison.Ordinal);
        Assert.Contains("open elsewhere", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_names_iommufd_and_the_device_cdev()
    {
        var status = new VfioBackend(_kernel, new VfioOptions()).Status();
        Assert.True(status.Available);
        Assert.Contains("iommufd through /dev/vfio/devices/vfio0", status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Auto")]
    [InlineData("auto", "Auto")]
    [InlineData("type1", "Type1")]
    [InlineData(" IOMMUFD ", "Iommufd")]
    public void The_iommu_variable_chooses_the_attachment(string? value, string mode) =>
        Assert.Equal(Enum.Parse<VfioIommuMode>(mode), VfioOptions.Parse(null, null, value).Iommu);

    [Fact]
    public void An_unknown_iommu_variable_value_is_invalid_param() =>
        Assert.Equal(FpgaResult.InvalidParam, Assert.Throws<OpaeException>(() => VfioOptions.Parse(null, null, "type2")).Result);

    public void Dispose() => _kernel.Dispose();

    private AcceleratorToken Token(VfioOptions? options = null)
    {
        _backend = new VfioBackend(_kernel, options ?? new VfioOptions());
        return _backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator);
    }

    private Accelerator Open(VfioOptions? options = null) => Accelerator.Open(Token(options));

    private VfioSession Session() => _backend!.SessionOf("0000:00:04.0")!;
}
