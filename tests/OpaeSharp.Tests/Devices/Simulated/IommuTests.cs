using OpaeSharp.Devices;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Simulation;

namespace OpaeSharp.Tests.Devices.Simulated;

public sealed class IommuTests
{
    private const ulong Base = 0x10_0000_0000;

    [Fact]
    public void A_read_inside_a_mapping_sees_host_memory()
    {
        using var memory = new PageAlignedMemory(4096);
        memory.Span[100] = 0x42;
        var (iommu, dma) = New();
        Assert.True(iommu.Program(Base, memory.Address, 4096, DmaAccess.ReadWrite).IsOk);
        var data = new byte[1];
        Assert.True(dma.TryRead(Base + 100, data));
        Assert.Equal(0x42, data[0]);
        Assert.Equal(0, iommu.Faults.Total);
    }

    [Fact]
    public void An_access_to_an_unmapped_address_is_an_unmapped_fault()
    {
        var (iommu, dma) = New();
        Assert.False(dma.TryRead(Base, new byte[8]));
        var fault = Assert.Single(iommu.Faults.Snapshot());
        Assert.Equal(new DmaFault(DmaFaultKind.Unmapped, Base, 8, false, "test-afu"), fault);
    }

    [Fact]
    public void An_access_running_past_the_end_of_its_mapping_is_refused_and_touches_nothing()
    {
        using var memory = new PageAlignedMemory(8192);
        var (iommu, dma) = New();
        Assert.True(iommu.Program(Base, memory.Address, 4096, DmaAccess.ReadWrite).IsOk);
        Assert.False(dma.TryWrite(Base + 4000, new byte[200].AsSpan().ToArray().Select(_ => (byte)0xEE).ToArray()));
        Assert.Equal(DmaFaultKind.PastEnd, Assert.Single(iommu.Faults.Snapshot()).Kind);
        Assert.Equal(-1, memory.Span.IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void A_device_write_to_a_read_only_mapping_is_a_permission_fault_and_memory_is_unchanged()
    {
        using var memory = new PageAlignedMemory(4096);
        memory.Span.Fill(7);
        var (iommu, dma) = New();
        Assert.True(iommu.Program(Base, memory.Address, 4096, DmaAccess.Read).IsOk);
        Assert.False(dma.TryWrite(Base, [1, 2, 3, 4]));
        var fault = Assert.Single(iommu.Faults.Snapshot());
        Assert.Equal(DmaFaultKind.PermissionDenied, fault.Kind);
        Assert.True(fault.IsWrite);
        Assert.Equal(-1, memory.Span.IndexOfAnyExcept((byte)7));
    }

    [Fact]
    public void A_device_read_of_a_read_only_mapping_is_allowed()
    {
        using var memory = new PageAlignedMemory(4096);
        var (iommu, dma) = New();
        Assert.True(iommu.Program(Base, memory.Address, 4096, DmaAccess.Read).IsOk);
        Assert.True(dma.TryRead(Base, new byte[64]));
    }

    [Fact]
    public void An_access_after_unmap_is_an_after_release_fault()
    {
        using var memory = new PageAlignedMemory(4096);
        var (iommu, dma) = New();
        Assert.True(iommu.Program(Base, memory.Address, 4096, DmaAccess.ReadWrite).IsOk);
        Assert.True(iommu.Clear(Base, 4096).IsOk);
        Assert.False(dma.TryWrite(Base + 64, [1]));
        Assert.Equal(DmaFaultKind.AfterRelease, Assert.Single(iommu.Faults.Snapshot()).Kind);
        Assert.Equal(0, memory.Span[64]);
    }

    [Fact]
    public void Overlapping_mappings_are_refused()
    {
        using var memory = new PageAlignedMemory(8192);
        var (iommu, _) = New();
        Assert.True(iommu.Program(Base, memory.Address, 8192, DmaAccess.ReadWrite).IsOk);
        Assert.Equal(FpgaResult.InvalidParam, iommu.Program(Base + 4096, memory.Address, 4096, DmaAccess.ReadWrite).Result);
        Assert.Equal(1, iommu.Count);
    }

    [Fact]
    public void A_copy_is_refused_whole_when_either_side_faults()
    {
        using var memory = new PageAlignedMemory(8192);
        memory.Span[..4096].Fill(9);
        var (iommu, dma) = New();
        Assert.True(iommu.Program(Base, memory.Address, 4096, DmaAccess.ReadWrite).IsOk);
        Assert.True(iommu.Program(Base + 0x10000, memory.Address + 4096, 4096, DmaAccess.Read).IsOk);
        Assert.False(dma.TryCopy(Base, Base + 0x10000, 4096));
        Assert.Equal(-1, memory.Span[4096..].IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void The_fault_log_keeps_the_newest_faults_and_counts_all()
    {
        var log = new DmaFaultLog(capacity: 2);
        var dma = new DmaEngine(new Iommu(log), "afu");
        for (ulong i = 0; i < 5; i++)
        {
            dma.TryRead(Base + (i * 4096), new byte[1]);
        }

        Assert.Equal(5, log.Total);
        Assert.Equal([Base + (3 * 4096), Base + (4 * 4096)], log.Snapshot().Select(f => f.IoAddress));
    }

    [Fact]
    public void Unmap_waits_for_an_access_in_flight()
    {
        using var memory = new PageAlignedMemory(4096);
        var (iommu, _) = New();
        Assert.True(iommu.Program(Base, memory.Address, 4096, DmaAccess.ReadWrite).IsOk);
        var mapping = iommu.Enter(Base, 8, DmaAccess.Write, "afu")!;
        var unmapped = new ManualResetEventSlim();
        var unmapper = new Thread(() =>
        {
            Assert.True(iommu.Clear(Base, 4096).IsOk);
            unmapped.Set();
        });
        unmapper.Start();
        Assert.False(unmapped.Wait(200, TestContext.Current.CancellationToken));
        mapping.Exit();
        Assert.True(unmapped.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        unmapper.Join();
    }

    [Fact]
    public void A_mapping_of_large_pages_translates_every_page_of_it_and_nothing_past_it()
    {
        var (iommu, _) = New();
        const ulong Length = 6UL << 20;
        Assert.True(iommu.Program(Base, 0x1000_0000, Length, DmaAccess.ReadWrite).IsOk);

        for (ulong offset = 0; offset < Length; offset += 4096)
        {
            var mapping = iommu.Enter(Base + offset, 4096, DmaAccess.Read, "t");
            Assert.NotNull(mapping);
            Assert.Equal(Base, mapping!.Iova);
            mapping.Exit();
        }

        Assert.Null(iommu.Enter(Base + Length, 8, DmaAccess.Read, "t"));
        Assert.Equal(DmaFaultKind.Unmapped, iommu.Faults.Snapshot()[^1].Kind);
    }

    [Fact]
    public void Reusing_part_of_a_released_range_keeps_the_rest_recorded_as_released()
    {
        var (iommu, _) = New();
        Assert.True(iommu.Program(Base, 0x1000_0000, 4UL << 20, DmaAccess.ReadWrite).IsOk);
        Assert.True(iommu.Clear(Base, 4UL << 20).IsOk);
        Assert.True(iommu.Program(Base + (1UL << 20), 0x2000_0000, 4096, DmaAccess.Read).IsOk);

        var reused = iommu.Enter(Base + (1UL << 20), 8, DmaAccess.Read, "t");
        Assert.Equal(0x2000_0000, reused!.HostAddress);
        reused.Exit();
        Assert.Null(iommu.Enter(Base + (3UL << 20), 8, DmaAccess.Read, "t"));
        Assert.Equal(DmaFaultKind.AfterRelease, iommu.Faults.Snapshot()[^1].Kind);
        Assert.Equal(1, iommu.Count);
    }

    [Fact]
    public void A_mapping_overlapping_a_live_one_anywhere_inside_a_large_page_is_refused()
    {
        var (iommu, _) = New();
        Assert.True(iommu.Program(Base + (2UL << 20), 0x1000_0000, 2UL << 20, DmaAccess.ReadWrite).IsOk);

        Assert.Equal(FpgaResult.InvalidParam, iommu.Program(Base, 0x2000_0000, 4UL << 20, DmaAccess.ReadWrite).Result);
        Assert.Equal(FpgaResult.InvalidParam, iommu.Program(Base + (3UL << 20), 0x2000_0000, 4096, DmaAccess.ReadWrite).Result);
        Assert.True(iommu.Program(Base, 0x2000_0000, 2UL << 20, DmaAccess.ReadWrite).IsOk);
        Assert.Equal(2, iommu.Count);
    }

    [Fact]
    public void Clearing_twice_or_at_an_address_inside_a_mapping_is_refused()
    {
        var (iommu, _) = New();
        Assert.True(iommu.Program(Base, 0x1000_0000, 8192, DmaAccess.ReadWrite).IsOk);
        Assert.Equal(FpgaResult.InvalidParam, iommu.Clear(Base + 4096, 4096).Result);
        Assert.True(iommu.Clear(Base, 8192).IsOk);
        Assert.Equal(FpgaResult.InvalidParam, iommu.Clear(Base, 8192).Result);
        Assert.Equal(0, iommu.Count);
    }

    [Fact]
    public void A_hundred_thousand_mappings_each_translate_to_their_own_memory()
    {
        var (iommu, _) = New();
        for (ulong i = 0; i < 100_000; i++)
        {
            Assert.True(iommu.Program(Base + (i * 8192), (nint)(0x1000_0000 + (i * 4096)), 4096, DmaAccess.ReadWrite).IsOk);
        }

        for (ulong i = 0; i < 100_000; i += 997)
        {
            var mapping = iommu.Enter(Base + (i * 8192) + 100, 8, DmaAccess.Write, "t");
            Assert.Equal((nint)(0x1000_0000 + (i * 4096)), mapping!.HostAddress);
            mapping.Exit();
            Assert.Null(iommu.Enter(Base + (i * 8192) + 4096, 8, DmaAccess.Write, "t"));
        }

        Assert.Equal(100_000, iommu.Count);
    }

    private static (Iommu Iommu, DmaEngine Dma) New()
    {
        var iommu = new Iommu(new DmaFaultLog(16));
        return (iommu, new DmaEngine(iommu, "test-afu"));
    }
}
