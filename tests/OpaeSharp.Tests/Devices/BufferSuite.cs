using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using OpaeSharp.Interop;
using OpaeSharp.Memory;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices;

/// <summary>
/// The buffer behaviour every backend must show, whatever driver sits below: each derived class
/// runs all of it against one backend (the simulator, or a real backend on a fake kernel).
/// </summary>
public abstract class BufferSuite : IDisposable
{
    /// <summary>Opens the backend's first accelerator; several calls reach the same accelerator.</summary>
    private protected abstract Accelerator Open(bool shared = false);

    /// <summary>What this backend does with READ_ONLY: a device-read-only mapping, or NOT_SUPPORTED where the driver cannot express it.</summary>
    private protected abstract ReadOnlyDecision ReadOnly { get; }

    /// <summary>True when the driver needs a buffer to be one physically contiguous range.</summary>
    private protected abstract bool RequiresContiguous { get; }

    /// <summary>True when the driver pins buffer pages itself (and charges them to RLIMIT_MEMLOCK).</summary>
    private protected abstract bool DriverPins { get; }

    /// <summary>The kernel the backend's memory and device calls go through.</summary>
    private protected abstract FakeKernel Kernel { get; }

    /// <summary>DMA mappings the driver or IOMMU holds right now.</summary>
    private protected abstract int DeviceMappings { get; }

    /// <summary>Whether the driver was told the device may write <paramref name="buffer"/>.</summary>
    private protected abstract bool DeviceMayWrite(SharedBuffer buffer);

    /// <summary>Descriptors the backend still has open (0 where there are none to count).</summary>
    private protected virtual int OpenDescriptors => 0;

    [Fact]
    public void Prepared_buffer_is_zero_filled_with_a_nonzero_wsid_and_an_io_address_that_is_not_its_address()
    {
        using var acc = Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.NotEqual(0UL, buffer.WorkspaceId);
        Assert.NotEqual((ulong)buffer.Address, buffer.IoAddress);
        Assert.True(buffer.Span.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Io_address_is_page_aligned_and_is_what_GetIoAddress_returns()
    {
        using var acc = Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.Equal(0UL, buffer.IoAddress % 4096);
        Assert.Equal(buffer.IoAddress, acc.GetIoAddress(buffer.WorkspaceId));
    }

    [Fact]
    public void A_one_byte_request_gives_one_4_KiB_page()
    {
        using var acc = Open();
        using var buffer = acc.PrepareBuffer(1);
        Assert.Equal(4096, buffer.Length);
        Assert.Equal(PageSizes.Small, buffer.PageSize);
    }

    [Fact]
    public void A_multi_page_request_without_a_free_hugepage_is_no_memory_naming_2_MiB_where_the_driver_needs_contiguity_else_4_KiB_pages()
    {
        using var acc = Open();
        if (RequiresContiguous)
        {
            // What the hugetlb mmap answers when no 2 MiB page is free, on any machine.
            Kernel.Fail(Syscall.Mmap, Errno.ENOMEM);
            var e = Assert.Throws<OpaeException>(() => acc.PrepareBuffer(5000));
            Assert.Equal(FpgaResult.NoMemory, e.Result);
            Assert.Contains("2 MiB", e.Message, StringComparison.Ordinal);
            Assert.Empty(Kernel.LiveMemory);
            return;
        }

        using var buffer = acc.PrepareBuffer(5000);
        Assert.Equal(8192, buffer.Length);
        Assert.Equal(PageSizes.Small, buffer.PageSize);
    }

    [Fact]
    public void Where_the_driver_pins_the_pages_are_populated_writable_first_so_a_device_read_only_pin_never_takes_the_zero_page()
    {
        using var acc = Open();
        using var mine = new PageAlignedMemory(4096);
        using (acc.PrepareBuffer(4096))
        using (acc.AttachBuffer(mine.Address, 4096))
        {
            // Else mlock populates them.
            Assert.Equal(DriverPins, (Kernel.MmapFlags[^1] & Libc.MAP_POPULATE) != 0);
            Assert.Equal(DriverPins, Kernel.Advice.Contains(Libc.MADV_POPULATE_WRITE));
        }
    }

    [Fact]
    public void The_library_mlocks_only_its_own_memory_and_only_where_the_driver_does_not_pin_it()
    {
        using var acc = Open();
        using var mine = new PageAlignedMemory(8192);
        var before = Kernel.Calls(Syscall.Mlock);
        using (acc.PrepareBuffer(4096))
        using (acc.AttachBuffer(mine.Address, 8192))
        {
            // The caller's memory is never mlocked (the simulator pins it without mlock), so its own
            // locks are never undone either: nothing is ever munlocked.
            Assert.Equal(DriverPins ? 0 : 1, Kernel.Calls(Syscall.Mlock) - before);
        }

        Assert.Equal(0, Kernel.Calls(Syscall.Munlock));
    }

    [Fact]
    public void Each_buffer_gets_its_own_device_mapping_at_its_own_io_address()
    {
        using var acc = Open();
        using var a = acc.PrepareBuffer(4096);
        using var b = acc.PrepareBuffer(4096);
        Assert.Equal(2, DeviceMappings);
        Assert.NotEqual(a.IoAddress, b.IoAddress);
        Assert.NotEqual(a.WorkspaceId, b.WorkspaceId);
    }

    [Fact]
    public unsafe void Attached_memory_is_mapped_in_place_and_stays_intact_after_release()
    {
        var memory = (nint)NativeMemory.AlignedAlloc(16384, 4096);
        try
        {
            new Span<byte>((void*)memory, 16384).Fill(0x5A);
            using (var acc = Open())
            {
                var buffer = acc.AttachBuffer(memory, 16384);
                Assert.Equal(memory, buffer.Address);
                Assert.True(buffer.IsPreallocated);
                Assert.Equal(1, DeviceMappings);
                acc.ReleaseBuffer(buffer.WorkspaceId);
                Assert.Equal(0, DeviceMappings);
            }

            Assert.True(new Span<byte>((void*)memory, 16384).IndexOfAnyExcept((byte)0x5A) < 0);
        }
        finally
        {
            NativeMemory.AlignedFree((void*)memory);
        }
    }

    [Fact]
    public unsafe void Attaching_memory_that_is_not_page_aligned_is_invalid_param_and_maps_nothing()
    {
        var memory = (nint)NativeMemory.AlignedAlloc(16384, 4096);
        try
        {
            using var acc = Open();
            var e = Assert.Throws<OpaeException>(() => acc.AttachBuffer(memory + 64, 4096));
            Assert.Equal(FpgaResult.InvalidParam, e.Result);
            Assert.Equal(0, DeviceMappings);
        }
        finally
        {
            NativeMemory.AlignedFree((void*)memory);
        }
    }

    [Fact]
    public void Read_only_is_a_device_read_only_mapping_or_not_supported_as_the_backend_decides()
    {
        using var acc = Open();
        AssertReadOnlyDecision(acc, () => acc.PrepareBuffer(4096, BufferFlags.ReadOnly | BufferFlags.Quiet));
    }

    [Fact]
    public unsafe void Read_only_attached_memory_is_a_device_read_only_mapping_or_not_supported_as_the_backend_decides()
    {
        var memory = (nint)NativeMemory.AlignedAlloc(8192, 4096);
        try
        {
            new Span<byte>((void*)memory, 8192).Fill(0x3C);
            using (var acc = Open())
            {
                AssertReadOnlyDecision(acc, () => acc.AttachBuffer(memory, 8192, BufferFlags.ReadOnly | BufferFlags.Quiet));
            }

            Assert.True(new Span<byte>((void*)memory, 8192).IndexOfAnyExcept((byte)0x3C) < 0);
        }
        finally
        {
            NativeMemory.AlignedFree((void*)memory);
        }
    }

    [Fact]
    public void The_device_advertises_the_read_only_decision()
    {
        using var acc = Open();
        Assert.Equal(ReadOnly == ReadOnlyDecision.DeviceReadsOnly, acc.Device!.Capabilities.SupportsReadOnly);
    }

    [Fact]
    public void A_buffer_without_read_only_is_writable_by_the_device()
    {
        using var acc = Open();
        using var buffer = acc.PrepareBuffer(4096);
        Assert.False(buffer.IsReadOnly);
        Assert.True(DeviceMayWrite(buffer));
    }

    [Fact]
    public void A_released_wsid_is_not_found_and_cannot_be_released_again()
    {
        using var acc = Open();
        var buffer = acc.PrepareBuffer(4096);
        acc.ReleaseBuffer(buffer.WorkspaceId);
        Assert.False(acc.TryGetIoAddress(buffer.WorkspaceId, out _));
        Assert.Equal(FpgaResult.NotFound, Assert.Throws<OpaeException>(() => acc.GetIoAddress(buffer.WorkspaceId)).Result);
        Assert.Equal(FpgaResult.InvalidParam, Assert.Throws<OpaeException>(() => acc.ReleaseBuffer(buffer.WorkspaceId)).Result);
    }

    [Fact]
    public void A_wsid_of_another_handle_is_not_found_and_cannot_be_released_there()
    {
        using var first = Open(shared: true);
        using var second = Open(shared: true);
        using var buffer = first.PrepareBuffer(4096);
        Assert.Equal(FpgaResult.NotFound, Assert.Throws<OpaeException>(() => second.GetIoAddress(buffer.WorkspaceId)).Result);
        Assert.Equal(FpgaResult.InvalidParam, Assert.Throws<OpaeException>(() => second.ReleaseBuffer(buffer.WorkspaceId)).Result);
        Assert.Equal(buffer.IoAddress, first.GetIoAddress(buffer.WorkspaceId));
    }

    [Fact]
    public void Release_removes_the_device_mapping()
    {
        using var acc = Open();
        var buffer = acc.PrepareBuffer(4096);
        Assert.Equal(1, DeviceMappings);
        buffer.Dispose();
        Assert.Equal(0, DeviceMappings);
        Assert.True(buffer.IsReleased);
    }

    [Fact]
    public void Closing_with_live_buffers_releases_them_all_and_closes_the_device()
    {
        var acc = Open();
        var buffers = Enumerable.Range(0, 3).Select(_ => acc.PrepareBuffer(4096)).ToList();
        acc.Dispose();
        Assert.Equal(3, acc.LeakedOnLastClose);
        Assert.All(buffers, b => Assert.True(b.IsReleased));
        Assert.Equal(0, DeviceMappings);
        Assert.Equal(0, OpenDescriptors);
    }

    [Fact]
    public void Opening_an_open_accelerator_exclusively_is_busy()
    {
        using var acc = Open();
        Assert.Equal(FpgaResult.Busy, Assert.Throws<OpaeException>(() => Open()).Result);
    }

    [Fact]
    public void Concurrent_prepares_and_releases_on_one_handle_never_share_an_io_address()
    {
        using var acc = Open();
        var live = new ConcurrentDictionary<ulong, ulong>();
        var clashes = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (var i = 0; i < 50; i++)
            {
                var buffer = acc.PrepareBuffer(4096);
                if (!live.TryAdd(buffer.IoAddress, buffer.WorkspaceId))
                {
                    Interlocked.Increment(ref clashes);
                }

                live.TryRemove(buffer.IoAddress, out var _);
                buffer.Dispose();
            }
        });
        Assert.Equal(0, clashes);
        Assert.Equal(0, acc.BufferCount);
        Assert.Equal(0, DeviceMappings);
    }

    /// <summary>
    /// Either the buffer is mapped once, read-only for the device, or the request is NOT_SUPPORTED
    /// with a message naming READ_ONLY and nothing is mapped or kept.
    /// </summary>
    private void AssertReadOnlyDecision(Accelerator acc, Func<SharedBuffer> prepare)
    {
        switch (ReadOnly)
        {
            case ReadOnlyDecision.DeviceReadsOnly:
                {
                    using var buffer = prepare();
                    Assert.True(buffer.IsReadOnly);
                    Assert.Equal(1, DeviceMappings);
                    Assert.False(DeviceMayWrite(buffer));
                    break;
                }

            case ReadOnlyDecision.NotSupported:
                {
                    var e = Assert.Throws<OpaeException>(() => prepare());
                    Assert.Equal(FpgaResult.NotSupported, e.Result);
                    Assert.Contains("READ_ONLY", e.Message, StringComparison.Ordinal);
                    Assert.Equal(0, DeviceMappings);
                    Assert.Equal(0, acc.BufferCount);
                    break;
                }

            default:
                Assert.Fail($"no assertion for {ReadOnly}");
                break;
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
