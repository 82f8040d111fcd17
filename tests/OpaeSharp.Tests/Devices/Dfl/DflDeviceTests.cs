using System.Buffers.Binary;
using System.Runtime.InteropServices;
using OpaeSharp.Devices.Dfl;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

public sealed class DflDeviceTests : IDisposable
{
    private readonly FakeKernel _kernel = new();

    [Fact]
    public void Dma_map_sends_a_32_byte_dfl_fpga_port_dma_map_with_no_flags_and_returns_the_driver_iova()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(DflDriver.Upstream);
        using var buffer = acc.PrepareBuffer(4096);

        var call = _kernel.Ioctls.Last(c => c.Request == 0xb643);
        var bytes = call.Bytes!;
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal((ulong)buffer.Address, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(4096UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(FakeDflPort.FirstIova, buffer.IoAddress);
        Assert.Equal(1, port.MappingCount);
    }

    [Fact]
    public void Release_sends_a_16_byte_dfl_fpga_port_dma_unmap_with_the_iova()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(DflDriver.Upstream);
        var buffer = acc.PrepareBuffer(4096);
        var iova = buffer.IoAddress;
        buffer.Dispose();

        var bytes = _kernel.Ioctls.Last(c => c.Request == 0xb644).Bytes!;
        Assert.Equal(16, bytes.Length);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(iova, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
    }

    [Theory]
    [InlineData(BufferFlags.None, 3u)]
    [InlineData(BufferFlags.ReadOnly, 1u)]
    public void Legacy_driver_maps_with_to_dev_and_from_dev_and_read_only_with_to_dev_only(BufferFlags flags, uint expected)
    {
        FakeDflCards.Add(_kernel, legacy: true);
        using var acc = Open(DflDriver.Legacy);
        using var buffer = acc.PrepareBuffer(4096, flags);

        var bytes = _kernel.Ioctls.Last(c => c.Request == 0xb543).Bytes!;
        Assert.Equal(expected, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
    }

    [Fact]
    public unsafe void Mmio_goes_through_the_mapping_of_the_afu_region_reported_by_region_info()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(DflDriver.Upstream);

        acc.WriteMmio64(0x120, 0x1234_5678_9abc_def0);
        *(uint*)(port.Registers + 0x130) = 42;

        Assert.Equal(port.Registers, acc.MapMmio());
        Assert.Equal(FakeDflPort.MmioSize, acc.GetMmioSize());
        Assert.Equal(0x1234_5678_9abc_def0UL, *(ulong*)(port.Registers + 0x120));
        Assert.Equal(42u, acc.ReadMmio32(0x130));
        var info = _kernel.Ioctls.Single(c => c.Request == 0xb642).Bytes!;
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(info));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(8)));
    }

    [Fact]
    public void Reset_sends_the_port_reset_ioctl()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(DflDriver.Upstream);
        acc.Reset();
        Assert.Equal(1, port.Resets);
        Assert.Contains(_kernel.Ioctls, c => c.Request == 0xb640 && c.Argument == 0);
    }

    [Fact]
    public void Exclusive_open_uses_o_excl_and_shared_open_does_not()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        using (var shared1 = Open(DflDriver.Upstream, shared: true))
        using (var shared2 = Open(DflDriver.Upstream, shared: true))
        {
            Assert.Equal(2, port.Opens);
            Assert.Equal(FpgaResult.Busy, Assert.Throws<OpaeException>(() => Open(DflDriver.Upstream)).Result);
        }

        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    [Theory]
    [InlineData((int)Errno.EACCES, FpgaResult.NoAccess)]
    [InlineData((int)Errno.EPERM, FpgaResult.NoAccess)]
    [InlineData((int)Errno.EBUSY, FpgaResult.Busy)]
    [InlineData((int)Errno.ENODEV, FpgaResult.NoDriver)]
    [InlineData((int)Errno.ENOENT, FpgaResult.NotFound)]
    public void A_failed_open_maps_errno_to_the_opae_result(int errno, FpgaResult expected)
    {
        FakeDflCards.Add(_kernel, legacy: false);
        _kernel.FailOpen("/dev/dfl-port.0", (Errno)errno);
        Assert.Equal(expected, Assert.Throws<OpaeException>(() => Open(DflDriver.Upstream)).Result);
    }

    [Fact]
    public void A_failed_region_info_or_mmap_at_open_closes_the_port_again()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        _kernel.FailIoctl(0xb642, Errno.EINVAL);
        Assert.Equal(FpgaResult.InvalidParam, Assert.Throws<OpaeException>(() => Open(DflDriver.Upstream)).Result);
        Assert.Equal(0, _kernel.OpenDescriptors);

        _kernel.FailMmap(Errno.ENOMEM);
        Assert.Equal(FpgaResult.NoMemory, Assert.Throws<OpaeException>(() => Open(DflDriver.Upstream)).Result);
        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    [Fact]
    public void A_map_the_driver_refuses_is_invalid_param_and_leaves_nothing_pinned()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(DflDriver.Upstream);
        _kernel.FailIoctl(0xb643, Errno.EINVAL);

        var e = Assert.Throws<OpaeException>(() => acc.PrepareBuffer(4096, BufferFlags.Quiet));

        Assert.Equal(FpgaResult.InvalidParam, e.Result);
        Assert.Contains("physically contiguous", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, acc.BufferCount);
        Assert.Equal(0, port.MappingCount);
    }

    [Fact]
    public void A_map_that_cannot_pin_is_no_memory_naming_the_locked_memory_limit()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(DflDriver.Upstream);
        _kernel.FailIoctl(0xb643, Errno.ENOMEM);

        var e = Assert.Throws<OpaeException>(() => acc.PrepareBuffer(4096, BufferFlags.Quiet));

        Assert.Equal(FpgaResult.NoMemory, e.Result);
        Assert.Contains("RLIMIT_MEMLOCK", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_unmap_is_invalid_param_and_forgets_the_wsid()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(DflDriver.Upstream);
        var buffer = acc.PrepareBuffer(4096);
        _kernel.FailIoctl(0xb644, Errno.EINVAL);

        Assert.Equal(FpgaResult.InvalidParam, Assert.Throws<OpaeException>(() => acc.ReleaseBuffer(buffer.WorkspaceId)).Result);
        Assert.False(acc.TryGetIoAddress(buffer.WorkspaceId, out _));
    }

    [Fact]
    public unsafe void Attached_memory_is_mapped_at_its_own_address()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        var memory = (nint)NativeMemory.AlignedAlloc(4096, 4096);
        try
        {
            using var acc = Open(DflDriver.Upstream);
            using var buffer = acc.AttachBuffer(memory, 4096);
            var bytes = _kernel.Ioctls.Last(c => c.Request == 0xb643).Bytes!;
            Assert.Equal((ulong)memory, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        }
        finally
        {
            NativeMemory.AlignedFree((void*)memory);
        }
    }

    public void Dispose() => _kernel.Dispose();

    private Accelerator Open(DflDriver driver, bool shared = false) =>
        Accelerator.Open(new DflBackend(_kernel, driver).Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator), shared);
}
