using OpaeSharp.Devices;
using OpaeSharp.Dma;
using OpaeSharp.Memory;

namespace OpaeSharp.Tests;

[Collection(ProcessMemoryCollection.Name)]
public sealed class ReleaseFailureTests
{
    [Fact]
    public void A_failed_device_unmap_is_invalid_param_the_wsid_is_forgotten_and_the_pages_stay_while_the_device_maps_them()
    {
        var backend = TestSim.NewBackend();
        var token = TestSim.AcceleratorOf(backend);
        var device = new UnmapRefusingDevice(backend.Open(token, shared: false));
        using var acc = new Accelerator(token, device, shared: false);
        var baseline = MemoryLimits.LockedBytes();
        var buffer = acc.PrepareBuffer(1 << 20);

        var e = TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReleaseBuffer(buffer.WorkspaceId));

        Assert.Contains("device unmap", e.Message, StringComparison.Ordinal);
        Assert.True(buffer.IsReleased);
        Assert.False(acc.TryGetIoAddress(buffer.WorkspaceId, out _));
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.ReleaseBuffer(buffer.WorkspaceId));

        // The device can still reach them (its IOMMU entry was not cleared): they stay mapped and
        // pinned, so a device write lands in our pages and never in memory reused for something else.
        Assert.Equal(baseline + buffer.MappedLength, MemoryLimits.LockedBytes());
    }

    /// <summary>A driver whose unmap ioctl fails, as a real one can (EINVAL from a confused driver).</summary>
    private sealed class UnmapRefusingDevice(IDevice inner) : IDevice, IDmaMapper
    {
        public DeviceCapabilities Capabilities => inner.Capabilities;

        public IDmaMapper Dma => this;

        public Status Map(PinnedMemory memory, DmaAccess access, out ulong iova) => inner.Dma.Map(memory, access, out iova);

        public Status Unmap(ulong iova, ulong length) => Status.Fail(FpgaResult.InvalidParam, "DMA unmap ioctl: Invalid argument");

        public ulong MmioSize(uint region) => inner.MmioSize(region);

        public uint ReadMmio32(uint region, ulong offset) => inner.ReadMmio32(region, offset);

        public ulong ReadMmio64(uint region, ulong offset) => inner.ReadMmio64(region, offset);

        public void WriteMmio32(uint region, ulong offset, uint value) => inner.WriteMmio32(region, offset, value);

        public void WriteMmio64(uint region, ulong offset, ulong value) => inner.WriteMmio64(region, offset, value);

        public void WriteMmio512(uint region, ulong offset, ReadOnlySpan<byte> value) => inner.WriteMmio512(region, offset, value);

        public Status BindSva(out uint pasid) => inner.BindSva(out pasid);

        public nint MapMmio(uint region) => inner.MapMmio(region);

        public void Reset() => inner.Reset();

        public IInterruptLines? Interrupts => inner.Interrupts;

        public IInterruptLines? ErrorInterrupts => inner.ErrorInterrupts;

        public void Dispose() => inner.Dispose();
    }
}
