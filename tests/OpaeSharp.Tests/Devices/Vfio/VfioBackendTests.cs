using System.Buffers.Binary;
using OpaeSharp.Devices.Vfio;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Vfio;

public sealed class VfioBackendTests : IDisposable
{
    private const uint MapDma = 0x3b71;
    private const uint UnmapDma = 0x3b72;

    private readonly FakeKernel _kernel = new();
    private readonly FakeVfio _vfio;

    public VfioBackendTests() => _vfio = new FakeVfio(_kernel);

    [Fact]
    public void A_function_bound_to_vfio_pci_is_one_fpga_device_and_one_accelerator_with_its_pci_identity()
    {
        var tokens = new VfioBackend(_kernel, new VfioOptions()).Enumerate();

        var acc = Assert.Single(tokens, t => t.ObjectType == FpgaObjectType.Accelerator);
        Assert.Equal("0000:00:04.0", acc.PciAddress);
        Assert.Equal((ushort)0x8086, acc.VendorId);
        Assert.Equal((ushort)0xbccf, acc.DeviceId);
        Assert.Equal(FpgaObjectType.Device, acc.Parent!.ObjectType);
        Assert.Equal(BackendKind.Vfio, acc.Backend);
    }

    [Fact]
    public void A_function_whose_pci_id_is_not_an_fpgas_is_never_opened_unless_listed()
    {
        using var kernel = new FakeKernel();
        var edu = new FakeVfio(kernel, vendor: 0x1234, device: 0x11e8);

        Assert.Empty(new VfioBackend(kernel, new VfioOptions()).Enumerate());
        Assert.Equal(0, edu.Resets);
        Assert.Equal(0, edu.Bar0Reads);
        Assert.False(edu.GroupOpen);

        var listed = new VfioBackend(kernel, new VfioOptions { Devices = ["0000:00:04.0"] }).Enumerate();
        Assert.Equal((ushort)0x11e8, Assert.Single(listed, t => t.ObjectType == FpgaObjectType.Accelerator).DeviceId);
    }

    [Theory]
    [InlineData((ushort)0x8086, (ushort)0xbcce, true)]
    [InlineData((ushort)0x8086, (ushort)0x09c4, true)]
    [InlineData((ushort)0x1c2c, (ushort)0x1000, true)]
    [InlineData((ushort)0x8086, (ushort)0x1572, false)]
    [InlineData((ushort)0x1234, (ushort)0x11e8, false)]
    public void Known_fpga_ids_are_the_dfl_cards_and_nothing_else(ushort vendor, ushort device, bool known) =>
        Assert.Equal(known, VfioOptions.IsKnownFpga(vendor, device));

    [Fact]
    public void Functions_not_in_OPAESHARP_VFIO_DEVICES_are_left_out()
    {
        var backend = new VfioBackend(_kernel, new VfioOptions { Devices = ["0000:00:05.0"] });
        Assert.Empty(backend.Enumerate());
    }

    [Fact]
    public void Open_sets_up_container_group_type1v2_and_device_in_the_kernel_s_order()
    {
        var token = Token();
        var before = _kernel.Ioctls.Count;
        using var acc = Accelerator.Open(token);

        var calls = _kernel.Ioctls.Skip(before).ToList();
        Assert.Equal([0x3b64u, 0x3b65, 0x3b67, 0x3b68, 0x3b66, 0x3b6a, 0x3b70, 0x3b70, 0x3b6b], calls.Select(c => c.Request).Take(9));
        Assert.Equal(3, calls.Single(c => c.Request == 0x3b66).Argument);
        Assert.Equal(3, calls.Single(c => c.Request == 0x3b65).Argument);
        Assert.Equal("0000:00:04.0\0"u8.ToArray(), calls.Single(c => c.Request == 0x3b6a).Bytes);
    }

    [Fact]
    public void Map_sends_read_and_write_flags_with_the_library_chosen_iova_and_read_only_sends_read_only()
    {
        using var acc = Open();
        using var rw = acc.PrepareBuffer(4096);
        var rwBytes = _kernel.Ioctls.Last(c => c.Request == MapDma).Bytes!;
        using var ro = acc.PrepareBuffer(4096, BufferFlags.ReadOnly);
        var roBytes = _kernel.Ioctls.Last(c => c.Request == MapDma).Bytes!;

        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(rwBytes));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(rwBytes.AsSpan(4)));
        Assert.Equal((ulong)rw.Address, BinaryPrimitives.ReadUInt64LittleEndian(rwBytes.AsSpan(8)));
        Assert.Equal(rw.IoAddress, BinaryPrimitives.ReadUInt64LittleEndian(rwBytes.AsSpan(16)));
        Assert.Equal(4096UL, BinaryPrimitives.ReadUInt64LittleEndian(rwBytes.AsSpan(24)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(roBytes.AsSpan(4)));
    }

    [Fact]
    public void Release_sends_a_24_byte_unmap_of_the_whole_mapping()
    {
        using var acc = Open();
        var buffer = acc.PrepareBuffer(8192);
        var iova = buffer.IoAddress;
        buffer.Dispose();

        var bytes = _kernel.Ioctls.Last(c => c.Request == UnmapDma).Bytes!;
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(iova, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(8192UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Empty(_vfio.Mappings);
    }

    [Fact]
    public void Io_addresses_stay_inside_the_usable_ranges_the_iommu_reports()
    {
        _vfio.Ranges.Clear();
        _vfio.Ranges.Add((0x4000_0000, 0x4000_ffff));
        using var acc = Open();
        using var a = acc.PrepareBuffer(4096);
        using var b = acc.PrepareBuffer(4096);

        Assert.InRange(a.IoAddress, 0x4000_0000UL, 0x4000_ffffUL);
        Assert.InRange(b.IoAddress, 0x4000_0000UL, 0x4000_ffffUL);
    }

    [Fact]
    public void A_dma_address_width_caps_io_addresses_and_runs_out_as_no_memory()
    {
        // 21 bits is 2 MiB, less the 1 MiB base: 128 pages with their guard pages.
        using var acc = Open(new VfioOptions { DmaAddressBits = 21 });
        var buffers = new List<SharedBuffer>();
        OpaeException? failure = null;
        while (failure is null)
        {
            try
            {
                buffers.Add(acc.PrepareBuffer(4096, BufferFlags.Quiet));
            }
            catch (OpaeException e)
            {
                failure = e;
            }
        }

        Assert.All(buffers, b => Assert.True(b.IoAddress + 4096 <= 1UL << 21));
        Assert.Equal(128, buffers.Count);
        Assert.Equal(FpgaResult.NoMemory, failure.Result);
        Assert.Contains("21-bit", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kernel_limit_on_dma_mappings_is_no_memory_naming_dma_entry_limit()
    {
        _vfio.DmaEntryLimit = 1;
        using var acc = Open();
        using var first = acc.PrepareBuffer(4096);

        var e = Assert.Throws<OpaeException>(() => acc.PrepareBuffer(4096, BufferFlags.Quiet));

        Assert.Equal(FpgaResult.NoMemory, e.Result);
        Assert.Contains("dma_entry_limit", e.Message, StringComparison.Ordinal);
        Assert.Single(_vfio.Mappings);
    }

    [Fact]
    public void A_locked_memory_refusal_is_no_memory_naming_rlimit_memlock()
    {
        using var acc = Open();
        _kernel.FailIoctl(MapDma, Errno.ENOMEM);

        var e = Assert.Throws<OpaeException>(() => acc.PrepareBuffer(4096, BufferFlags.Quiet));

        Assert.Equal(FpgaResult.NoMemory, e.Result);
        Assert.Contains("RLIMIT_MEMLOCK", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_map_gives_its_io_address_back()
    {
        using var acc = Open();
        _kernel.FailIoctl(MapDma, Errno.EINVAL);
        Assert.Equal(FpgaResult.InvalidParam, Assert.Throws<OpaeException>(() => acc.PrepareBuffer(4096, BufferFlags.Quiet)).Result);
        using var buffer = acc.PrepareBuffer(4096);
        Assert.Equal(new VfioOptions().IovaBase, buffer.IoAddress);
    }

    [Fact]
    public void Open_enables_bus_mastering_and_reset_enables_it_again()
    {
        using var acc = Open();
        Assert.Equal(OpaeSharp.Interop.Vfio.PCI_COMMAND_MASTER, (ushort)(_vfio.Command & OpaeSharp.Interop.Vfio.PCI_COMMAND_MASTER));

        acc.Reset();

        Assert.Equal(1, _vfio.Resets);
        Assert.Equal(OpaeSharp.Interop.Vfio.PCI_COMMAND_MASTER, (ushort)(_vfio.Command & OpaeSharp.Interop.Vfio.PCI_COMMAND_MASTER));
    }

    [Fact]
    public unsafe void Bar_0_is_mapped_and_a_bar_without_mmap_goes_through_pread_and_pwrite()
    {
        using var acc = Open();
        acc.WriteMmio32(0x8, 0xfeed);
        acc.WriteMmio64(0x10, 0x0102_0304_0506_0708, region: 2);

        Assert.Equal(_vfio.Bar0, acc.MapMmio(0));
        Assert.Equal(0xfeedu, *(uint*)(_vfio.Bar0 + 8));
        Assert.Equal(0, acc.MapMmio(2));
        Assert.Equal(0x0102_0304_0506_0708UL, BitConverter.ToUInt64(_vfio.Bar2, 0x10));
        Assert.Equal(0x0102_0304_0506_0708UL, acc.ReadMmio64(0x10, region: 2));
    }

    public static TheoryData<uint, int> OpenSteps => new()
    {
        { 0x3b67, (int)Errno.EFAULT },
        { 0x3b68, (int)Errno.EBUSY },
        { 0x3b66, (int)Errno.EPERM },
        { 0x3b70, (int)Errno.EINVAL },
        { 0x3b6a, (int)Errno.ENODEV },
        { 0x3b6b, (int)Errno.EINVAL },
        { 0x3b6c, (int)Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(OpenSteps))]
    public void A_failure_at_any_open_step_closes_everything_opened_before_it(uint request, int errno)
    {
        // Enumeration opens the device for a moment too (the AFU id): the fault is for the open.
        var token = Token();
        _kernel.FailIoctl(request, (Errno)errno);

        Assert.Throws<OpaeException>(() => Accelerator.Open(token));

        Assert.Equal(0, _kernel.OpenDescriptors);
        Assert.Equal(0, _kernel.LiveMappings);
        Assert.False(_vfio.GroupOpen);
    }

    [Fact]
    public void A_group_that_cannot_be_opened_is_no_access_and_leaves_the_container_closed()
    {
        var token = Token();
        _kernel.FailOpen("/dev/vfio/7", Errno.EACCES);

        Assert.Equal(FpgaResult.NoAccess, Assert.Throws<OpaeException>(() => Accelerator.Open(token)).Result);
        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    [Fact]
    public void Status_explains_a_missing_vfio_driver()
    {
        using var empty = new FakeKernel();
        var status = new VfioBackend(empty, new VfioOptions()).Status();
        Assert.False(status.Available);
        Assert.Contains("modprobe vfio-pci", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_reports_no_permission_on_the_group_node()
    {
        _kernel.DenyAccess("/dev/vfio/7", Errno.EACCES);
        var status = new VfioBackend(_kernel, new VfioOptions()).Status();
        Assert.False(status.Available);
        Assert.Contains("no permission on /dev/vfio/7", status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("65")]
    [InlineData("wide")]
    public void A_dma_address_width_outside_21_to_64_bits_is_invalid_param(string bits) =>
        Assert.Equal(FpgaResult.InvalidParam, Assert.Throws<OpaeException>(() => VfioOptions.Parse(bits, null)).Result);

    [Fact]
    public void Dma_bits_and_a_device_list_are_parsed_from_their_variables()
    {
        var options = VfioOptions.Parse("28", "0000:00:04.0, 0000:00:05.0");
        Assert.Equal(28, options.DmaAddressBits);
        Assert.Equal(1UL << 28, options.AddressLimit);
        Assert.Equal(["0000:00:04.0", "0000:00:05.0"], options.Devices);
    }

    public void Dispose() => _kernel.Dispose();

    private Accelerator Open(VfioOptions? options = null, bool shared = false) => Accelerator.Open(Token(options), shared);

    private AcceleratorToken Token(VfioOptions? options = null) =>
        new VfioBackend(_kernel, options ?? new VfioOptions()).Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator);
}
