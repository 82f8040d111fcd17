using OpaeSharp.Devices.Simulated.Afus;
using OpaeSharp.Devices.Simulated;
using OpaeSharp.Enumeration;

namespace OpaeSharp.Tests;

public sealed class AcceleratorTests
{
    [Fact]
    public void Prepare_returns_a_nonzero_wsid_and_an_io_address_that_is_not_the_virtual_address()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.NotEqual(0UL, buffer.WorkspaceId);
        Assert.NotEqual((ulong)buffer.Address, buffer.IoAddress);
        Assert.Equal(buffer.IoAddress, acc.GetIoAddress(buffer.WorkspaceId));
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(4095, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 8192)]
    [InlineData(3 << 20, 3 << 20)]
    public void Prepare_rounds_the_length_up_to_4_KiB(long requested, long expected)
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(requested);
        Assert.Equal(expected, buffer.Length);
    }

    [Fact]
    public void A_fresh_buffer_is_zero_filled()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(64 << 10);
        Assert.Equal(-1, buffer.Span.IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public void Prepare_of_zero_bytes_is_invalid_param() =>
        TestSim.Fails(FpgaResult.InvalidParam, () => TestSim.Open().PrepareBuffer(0));

    [Fact]
    public void Prepare_with_an_unknown_flag_is_invalid_param()
    {
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.PrepareBuffer(4096, (BufferFlags)8));
        Assert.Equal(0, acc.BufferCount);
    }

    [Fact]
    public void PrepareBuffer_refuses_the_preallocated_flag_and_points_to_AttachBuffer()
    {
        using var acc = TestSim.Open();
        var e = TestSim.Fails(FpgaResult.InvalidParam, () => acc.PrepareBuffer(4096, BufferFlags.Preallocated));
        Assert.Contains("AttachBuffer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quiet_and_read_only_flags_are_accepted()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096, BufferFlags.Quiet | BufferFlags.ReadOnly);
        Assert.True(buffer.IsReadOnly);
        Assert.False(buffer.IsPreallocated);
    }

    [Fact]
    public void TryPrepareBuffer_reports_the_result_code_instead_of_throwing()
    {
        using var acc = TestSim.Open();
        Assert.False(acc.TryPrepareBuffer(0, BufferFlags.None, out var none, out var result));
        Assert.Null(none);
        Assert.Equal(FpgaResult.InvalidParam, result);
        Assert.True(acc.TryPrepareBuffer(4096, BufferFlags.None, out var buffer, out result));
        Assert.Equal(FpgaResult.Ok, result);
        buffer.Dispose();
    }

    [Fact]
    public void Workspace_ids_are_unique_and_never_reused_after_release()
    {
        using var acc = TestSim.Open();
        var seen = new HashSet<ulong>();
        for (var i = 0; i < 50; i++)
        {
            using var buffer = acc.PrepareBuffer(4096);
            Assert.True(seen.Add(buffer.WorkspaceId));
        }
    }

    [Fact]
    public void Io_addresses_are_page_aligned_and_disjoint()
    {
        using var acc = TestSim.Open();
        var buffers = Enumerable.Range(1, 20).Select(i => acc.PrepareBuffer(i * 5000)).ToList();
        foreach (var b in buffers)
        {
            Assert.Equal(0UL, b.IoAddress % 4096);
        }

        var sorted = buffers.OrderBy(b => b.IoAddress).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            Assert.True(sorted[i - 1].IoAddress + (ulong)sorted[i - 1].Length <= sorted[i].IoAddress);
        }

        buffers.ForEach(b => b.Dispose());
    }

    [Fact]
    public void Io_address_space_is_reused_after_release()
    {
        using var acc = TestSim.Open(new SimulatorOptions { IovaSize = 64 << 10, GuardBytes = 0 });
        for (var i = 0; i < 10; i++)
        {
            using var buffer = acc.PrepareBuffer(64 << 10);
        }

        Assert.Equal(0, acc.BufferCount);
    }

    [Fact]
    public void Exhausted_io_address_space_is_no_memory_and_says_so()
    {
        using var acc = TestSim.Open(new SimulatorOptions { IovaSize = 64 << 10 });
        var e = TestSim.Fails(FpgaResult.NoMemory, () => acc.PrepareBuffer(1 << 20));
        Assert.Contains("IO address space exhausted", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, acc.BufferCount);
    }

    [Fact]
    public void GetIoAddress_of_a_wsid_never_issued_is_not_found()
    {
        using var acc = TestSim.Open();
        TestSim.Fails(FpgaResult.NotFound, () => acc.GetIoAddress(ulong.MaxValue));
        Assert.False(acc.TryGetIoAddress(0, out _));
    }

    [Fact]
    public void GetIoAddress_of_a_released_wsid_is_not_found()
    {
        using var acc = TestSim.Open();
        var buffer = acc.PrepareBuffer(4096);
        buffer.Dispose();
        TestSim.Fails(FpgaResult.NotFound, () => acc.GetIoAddress(buffer.WorkspaceId));
    }

    [Fact]
    public void GetIoAddress_of_another_handles_wsid_is_not_found()
    {
        using var mine = TestSim.Open();
        using var theirs = TestSim.Open();
        using var buffer = theirs.PrepareBuffer(4096);
        TestSim.Fails(FpgaResult.NotFound, () => mine.GetIoAddress(buffer.WorkspaceId));
    }

    [Fact]
    public void Release_of_a_released_wsid_is_invalid_param()
    {
        using var acc = TestSim.Open();
        var buffer = acc.PrepareBuffer(4096);
        acc.ReleaseBuffer(buffer.WorkspaceId);
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReleaseBuffer(buffer.WorkspaceId));
        Assert.True(buffer.IsReleased);
    }

    [Fact]
    public void Release_of_a_foreign_wsid_is_invalid_param_and_leaves_the_buffer_live()
    {
        using var mine = TestSim.Open();
        using var theirs = TestSim.Open();
        using var buffer = theirs.PrepareBuffer(4096);
        TestSim.Fails(FpgaResult.InvalidParam, () => mine.ReleaseBuffer(buffer.WorkspaceId));
        Assert.Equal(buffer.IoAddress, theirs.GetIoAddress(buffer.WorkspaceId));
    }

    [Fact]
    public void Disposing_a_buffer_twice_is_harmless()
    {
        using var acc = TestSim.Open();
        var buffer = acc.PrepareBuffer(4096);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Equal(0, acc.BufferCount);
    }

    [Fact]
    public void A_released_buffer_refuses_span_access()
    {
        using var acc = TestSim.Open();
        var buffer = acc.PrepareBuffer(4096);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Read<int>(0));
    }

    [Fact]
    public void Close_releases_every_outstanding_buffer_and_counts_them()
    {
        var acc = TestSim.Open();
        var buffers = Enumerable.Range(0, 3).Select(_ => acc.PrepareBuffer(8192)).ToList();
        acc.Dispose();
        Assert.Equal(3, acc.LeakedOnLastClose);
        Assert.All(buffers, b => Assert.True(b.IsReleased));
        Assert.Equal(0, TestSim.CardOf(acc).Iommu.Count);
    }

    [Fact]
    public void A_closed_handle_refuses_every_call_with_invalid_param()
    {
        var acc = TestSim.Open();
        acc.Dispose();
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.PrepareBuffer(4096));
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReleaseBuffer(1));
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReadMmio64(0));
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.Reset());
    }

    [Fact]
    public void Opening_an_exclusively_held_accelerator_is_busy()
    {
        var backend = TestSim.NewBackend();
        using var first = Accelerator.Open(TestSim.AcceleratorOf(backend));
        TestSim.Fails(FpgaResult.Busy, () => Accelerator.Open(TestSim.AcceleratorOf(backend), shared: true));
        TestSim.Fails(FpgaResult.Busy, () => Accelerator.Open(TestSim.AcceleratorOf(backend)));
    }

    [Fact]
    public void Shared_opens_coexist_and_an_exclusive_open_waits_for_all_to_close()
    {
        var backend = TestSim.NewBackend();
        var token = TestSim.AcceleratorOf(backend);
        var a = Accelerator.Open(token, shared: true);
        var b = Accelerator.Open(token, shared: true);
        TestSim.Fails(FpgaResult.Busy, () => Accelerator.Open(token));
        a.Dispose();
        b.Dispose();
        using var exclusive = Accelerator.Open(token);
        Assert.False(exclusive.IsShared);
    }

    [Fact]
    public void Handles_that_share_an_accelerator_keep_separate_buffer_registries()
    {
        var backend = TestSim.NewBackend();
        var token = TestSim.AcceleratorOf(backend);
        using var a = Accelerator.Open(token, shared: true);
        using var b = Accelerator.Open(token, shared: true);
        using var buffer = a.PrepareBuffer(4096);
        Assert.False(b.TryGetIoAddress(buffer.WorkspaceId, out _));
    }

    [Fact]
    public void The_preallocated_probe_is_true_on_an_accelerator_and_false_on_a_device_handle()
    {
        var backend = TestSim.NewBackend();
        using var port = Accelerator.Open(TestSim.AcceleratorOf(backend));
        using var fme = Accelerator.Open(TestSim.DeviceOf(backend));
        Assert.True(port.SupportsPreallocatedBuffers);
        Assert.False(fme.SupportsPreallocatedBuffers);
        TestSim.Fails(FpgaResult.InvalidParam, () => fme.PrepareBuffer(4096));
    }

    [Fact]
    public void Reset_keeps_prepared_buffers()
    {
        using var acc = TestSim.Open();
        using var buffer = acc.PrepareBuffer(4096);
        acc.Reset();
        Assert.Equal(buffer.IoAddress, acc.GetIoAddress(buffer.WorkspaceId));
    }

    [Fact]
    public void Enumerate_filters_by_object_type_and_guid()
    {
        var backend = TestSim.NewBackend(new SimulatorOptions { Cards = 2 });
        var all = backend.Enumerate();
        var nlb0 = all.Where(AcceleratorFilter.ForAfu(Nlb0Afu.Id).Matches).ToList();
        var devices = all.Where(new AcceleratorFilter { ObjectType = FpgaObjectType.Device }.Matches).ToList();
        var none = all.Where(AcceleratorFilter.ForAfu(Guid.NewGuid()).Matches).ToList();
        Assert.Equal(2, nlb0.Count);
        Assert.All(nlb0, t => Assert.Equal(FpgaObjectType.Accelerator, t.ObjectType));
        Assert.Equal(2, devices.Count);
        Assert.Empty(none);
    }

    [Fact]
    public void An_accelerators_parent_is_its_fpga_device_and_filters_by_bus_and_parent_work()
    {
        var backend = TestSim.NewBackend(new SimulatorOptions { Cards = 2 });
        var second = TestSim.AcceleratorOf(backend, 1);
        Assert.Equal(FpgaObjectType.Device, second.Parent?.ObjectType);
        Assert.Equal(second.Bus, second.Parent!.Bus);
        var byBus = backend.Enumerate().Where(new AcceleratorFilter { ObjectType = FpgaObjectType.Accelerator, Bus = second.Bus }.Matches);
        // Each enumeration describes the objects as they are now (state, AFU id): the same object, a new token.
        Assert.Equal(second.Name, Assert.Single(byBus).Name);
        var byParent = backend.Enumerate().Where(new AcceleratorFilter { Parent = second.Parent }.Matches);
        Assert.Equal(second.Name, Assert.Single(byParent).Name);
    }

    [Fact]
    public void Open_with_a_filter_that_matches_nothing_is_not_found_and_says_what_was_looked_for()
    {
        var afu = Guid.NewGuid();
        var e = TestSim.Fails(FpgaResult.NotFound, () => Accelerator.Open(AcceleratorFilter.ForAfu(afu), backend: BackendKind.Simulated));
        Assert.Contains($"{{ObjectType=Accelerator, Guid={afu}}} on the sim backend", e.Message, StringComparison.Ordinal);
    }
}
