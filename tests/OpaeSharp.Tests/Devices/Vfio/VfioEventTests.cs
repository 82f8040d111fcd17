using System.Buffers.Binary;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Devices.Vfio;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Vfio;

/// <summary>FPGA_EVENT_INTERRUPT through VFIO_DEVICE_SET_IRQS, checked byte for byte against linux/vfio.h.</summary>
public sealed class VfioEventTests : IDisposable
{
    private const uint GetIrqInfo = 0x3b6d;
    private const uint SetIrqs = 0x3b6e;
    private const uint EventfdTrigger = 0x24;
    private const uint NoneTrigger = 0x21;

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly FakeKernel _kernel = new();
    private readonly FakeVfio _vfio;

    public VfioEventTests() => _vfio = new FakeVfio(_kernel);

    [Fact]
    public void The_first_registration_enables_every_msix_vector_with_one_set_irqs_binding_only_its_own()
    {
        _vfio.MsixCount = 4;
        using var acc = Open();

        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 2);

        var info = _kernel.Ioctls.First(c => c.Request == GetIrqInfo).Bytes!;
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(info));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(8)));
        var set = _kernel.Ioctls.Single(c => c.Request == SetIrqs).Bytes!;
        Assert.Equal(36, set.Length);
        Assert.Equal(36u, BinaryPrimitives.ReadUInt32LittleEndian(set));
        Assert.Equal(EventfdTrigger, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(4)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(12)));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(16)));
        int[] fds = [.. Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(set.AsSpan(20 + (4 * i))))];
        Assert.Equal([-1, -1, _vfio.IrqBound[2], -1], fds);
        Assert.Equal((2u, 4), _vfio.IrqsEnabled);
    }

    [Fact]
    public void A_later_registration_binds_one_vector()
    {
        using var acc = Open();
        using var first = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);

        using var second = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 3);

        var set = _kernel.Ioctls.Last(c => c.Request == SetIrqs).Bytes!;
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32LittleEndian(set));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(12)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(16)));
        Assert.Equal(_vfio.IrqBound[3], BinaryPrimitives.ReadInt32LittleEndian(set.AsSpan(20)));
        Assert.Equal(2, _vfio.IrqBound.Count);
    }

    [Fact]
    public async Task A_vector_the_device_sends_completes_the_wait()
    {
        using var acc = Open();
        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 1);

        var wait = ev.WaitAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.True(_vfio.RaiseIrq(1));
        Assert.True(_vfio.RaiseIrq(1));

        var count = await wait.WaitAsync(s_wait, TestContext.Current.CancellationToken);
        Assert.InRange(count, 1UL, 2UL);
    }

    [Fact]
    public void Unregistering_one_of_two_unbinds_it_with_minus_one()
    {
        using var acc = Open();
        using var keep = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);
        var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 1);

        ev.Dispose();

        var set = _kernel.Ioctls.Last(c => c.Request == SetIrqs).Bytes!;
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(12)));
        Assert.Equal(-1, BinaryPrimitives.ReadInt32LittleEndian(set.AsSpan(20)));
        Assert.False(_vfio.RaiseIrq(1));
        Assert.True(_vfio.RaiseIrq(0));
    }

    [Fact]
    public void Unregistering_the_last_disables_msix_with_data_none()
    {
        using var acc = Open();
        var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);

        ev.Dispose();

        var set = _kernel.Ioctls.Last(c => c.Request == SetIrqs).Bytes!;
        Assert.Equal(20u, BinaryPrimitives.ReadUInt32LittleEndian(set));
        Assert.Equal(NoneTrigger, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(4)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(16)));
        Assert.Null(_vfio.IrqsEnabled);

        // Enabled again from scratch by the next registration.
        using var again = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 1);
        Assert.True(_vfio.RaiseIrq(1));
    }

    [Fact]
    public void A_function_with_msi_but_no_msix_uses_the_msi_index()
    {
        _vfio.MsixCount = 0;
        _vfio.MsiCount = 1;
        using var acc = Open();

        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);

        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(_kernel.Ioctls.Last(c => c.Request == SetIrqs).Bytes!.AsSpan(8)));
        Assert.Equal((1u, 1), _vfio.IrqsEnabled);
    }

    [Fact]
    public void A_function_without_msi_or_msix_is_not_supported()
    {
        _vfio.MsixCount = 0;
        using var acc = Open();

        TestSim.Fails(FpgaResult.NotSupported, () => acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0));
        Assert.DoesNotContain(_kernel.Ioctls, c => c.Request == SetIrqs);
    }

    [Fact]
    public void A_vector_past_the_functions_count_is_invalid_param_and_sends_nothing()
    {
        _vfio.MsixCount = 2;
        using var acc = Open();

        TestSim.Fails(FpgaResult.InvalidParam, () => acc.RegisterEvent(FpgaEventType.Interrupt, vector: 2));
        Assert.DoesNotContain(_kernel.Ioctls, c => c.Request == SetIrqs);
    }

    [Fact]
    public void Shared_handles_share_the_vectors_so_a_taken_one_is_invalid_param()
    {
        var token = Token();
        using var first = Accelerator.Open(token, shared: true);
        using var second = Accelerator.Open(token, shared: true);
        using var ev = first.RegisterEvent(FpgaEventType.Interrupt, vector: 0);

        TestSim.Fails(FpgaResult.InvalidParam, () => second.RegisterEvent(FpgaEventType.Interrupt, vector: 0));
        using var other = second.RegisterEvent(FpgaEventType.Interrupt, vector: 1);
        Assert.Equal(2, _vfio.IrqBound.Count);
    }

    [Fact]
    public void Closing_the_handle_disables_what_it_registered()
    {
        var acc = Open();
        var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);

        acc.Dispose();

        Assert.Equal(NoneTrigger, BinaryPrimitives.ReadUInt32LittleEndian(_kernel.Ioctls.Last(c => c.Request == SetIrqs).Bytes!.AsSpan(4)));
        Assert.Null(_vfio.IrqsEnabled);
        ev.Dispose();
    }

    [Theory]
    [InlineData(FpgaEventType.Error)]
    [InlineData(FpgaEventType.PowerThermal)]
    public void Error_and_thermal_events_are_not_supported_as_in_opaes_vfio_plugin(FpgaEventType type)
    {
        using var acc = Open();
        TestSim.Fails(FpgaResult.NotSupported, () => acc.RegisterEvent(type));

        using var device = Accelerator.Open(new VfioBackend(_kernel, new VfioOptions()).Enumerate().First(t => t.ObjectType == FpgaObjectType.Device));
        TestSim.Fails(FpgaResult.NotSupported, () => device.RegisterEvent(type));
    }

    [Fact]
    public unsafe void A_512_bit_write_to_the_mapped_bar_lands_as_64_bytes()
    {
        Assert.SkipUnless(MmioWindow.CpuHas512BitStores, "this CPU has no AVX-512, so the write is NOT_SUPPORTED");
        using var acc = Open();
        var value = Enumerable.Range(100, 64).Select(i => (byte)i).ToArray();

        acc.WriteMmio512(0x40, value);

        Assert.Equal(value, new ReadOnlySpan<byte>((void*)(_vfio.Bar0 + 0x40), 64).ToArray());
    }

    [Fact]
    public void A_512_bit_write_to_a_bar_reached_through_pwrite_is_not_supported()
    {
        using var acc = Open();
        TestSim.Fails(FpgaResult.NotSupported, () => acc.WriteMmio512(0, new byte[64], region: 2));
    }

    [Fact]
    public void Shared_virtual_addressing_without_dfl_pci_sva_is_not_supported()
    {
        using var acc = Open();
        var status = acc.BindSva(out _);
        Assert.Equal(FpgaResult.NotSupported, status.Result);
        Assert.Contains("/dev/dfl-pci-sva/0000:00:04.0", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_virtual_addressing_binds_through_dfl_pci_sva_once_and_keeps_the_node_open()
    {
        var sva = new SvaNode(pasid: 7);
        _kernel.AddNode("/dev/dfl-pci-sva/0000:00:04.0", sva);
        var acc = Open();

        Assert.True(acc.BindSva(out var pasid).IsOk);
        Assert.True(acc.BindSva(out var again).IsOk);

        Assert.Equal(7u, pasid);
        Assert.Equal(7u, again);
        Assert.Equal(1, sva.Binds);
        Assert.Equal(1, sva.OpenCount);
        acc.Dispose();
        Assert.Equal(0, sva.OpenCount);
    }

    [Fact]
    public void A_multi_port_afu_naming_children_is_not_supported_by_get_children()
    {
        // OFS's DFH v1 AFU with parameter 2 listing one child GUID.
        _vfio.WriteBar0(0, (1UL << 60) | (1UL << 52) | (1UL << 40));
        _vfio.WriteBar0(0x20, 1UL << 31);
        _vfio.WriteBar0(0x28, (1UL << 32) | (3UL << 35) | 2);
        _vfio.WriteBar0(0x30, 0x1234);
        _vfio.WriteBar0(0x38, 0x5678);
        using var acc = Open();

        var status = acc.GetChildren(out var children);

        Assert.Equal(FpgaResult.NotSupported, status.Result);
        Assert.Contains("multi-port", status.Reason, StringComparison.Ordinal);
        Assert.Empty(children);
    }

    [Fact]
    public void An_ordinary_afu_has_no_children()
    {
        _vfio.LoadAfu(Guid.NewGuid());
        using var acc = Open();
        Assert.True(acc.GetChildren(out var children).IsOk);
        Assert.Empty(children);
    }

    public void Dispose() => _kernel.Dispose();

    private Accelerator Open() => Accelerator.Open(Token());

    private AcceleratorToken Token() =>
        new VfioBackend(_kernel, new VfioOptions()).Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator);

    /// <summary>OFS's dfl-pci SVA node: DFL_PCI_SVA_BIND_DEV (_IO(0xB6, 0xF8)) returns the PASID.</summary>
    private sealed class SvaNode(int pasid) : FakeNode
    {
        internal int Binds { get; private set; }

        internal int OpenCount { get; private set; }

        internal override Errno Open(int flags, out object? state)
        {
            state = null;
            OpenCount++;
            return Errno.None;
        }

        internal override void Close(FakeFile file) => OpenCount--;

        internal override int ArgumentSize(uint request) => 0;

        internal override int Ioctl(FakeKernel kernel, FakeFile file, uint request, nint arg, out Errno errno)
        {
            errno = request == 0xb6f8 ? Errno.None : Errno.ENOTTY;
            if (errno != Errno.None)
            {
                return -1;
            }

            Binds++;
            return pasid;
        }
    }
}
