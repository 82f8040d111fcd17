using System.Buffers.Binary;
using OpaeSharp.Devices.Dfl;
using OpaeSharp.Devices.Kernel;
using OpaeSharp.Enumeration;
using OpaeSharp.Interop;
using OpaeSharp.Tests.Devices.Kernel;

namespace OpaeSharp.Tests.Devices.Dfl;

/// <summary>FPGA events through the upstream DFL driver's interrupt ioctls, checked byte for byte against linux/fpga-dfl.h.</summary>
public sealed class DflEventTests : IDisposable
{
    private const uint UintGetIrqNum = 0x8004b647;
    private const uint UintSetIrq = 0x4008b648;
    private const uint ErrGetIrqNum = 0x8004b645;
    private const uint ErrSetIrq = 0x4008b646;
    private const uint FmeErrGetIrqNum = 0x8004b683;
    private const uint FmeErrSetIrq = 0x4008b684;

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly FakeKernel _kernel = new();

    [Fact]
    public void An_interrupt_registration_asks_the_vector_count_then_binds_the_eventfd_with_one_dfl_fpga_irq_set()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 4;
        using var acc = Open(out _);

        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 2);

        var get = _kernel.Ioctls.Single(c => c.Request == UintGetIrqNum);
        Assert.Equal(4, get.Bytes!.Length);
        var set = _kernel.Ioctls.Single(c => c.Request == UintSetIrq).Bytes!;
        Assert.Equal(12, set.Length);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(set));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(4)));
        Assert.Equal(port.UserIrqs.Bound[2], BinaryPrimitives.ReadInt32LittleEndian(set.AsSpan(8)));
        Assert.True(BinaryPrimitives.ReadInt32LittleEndian(set.AsSpan(8)) >= 0);
    }

    [Fact]
    public async Task A_vector_the_device_raises_completes_the_wait_with_its_count()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 2;
        using var acc = Open(out _);
        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 1);

        var wait = ev.WaitAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.True(port.UserIrqs.Raise(1));

        Assert.Equal(1UL, await wait.WaitAsync(s_wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Unregistering_sends_the_vector_with_eventfd_minus_one()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 1;
        using var acc = Open(out _);
        var ev = acc.RegisterEvent(FpgaEventType.Interrupt, vector: 0);

        ev.Dispose();

        var unset = _kernel.Ioctls.Last(c => c.Request == UintSetIrq).Bytes!;
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(unset));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(unset.AsSpan(4)));
        Assert.Equal(-1, BinaryPrimitives.ReadInt32LittleEndian(unset.AsSpan(8)));
        Assert.Empty(port.UserIrqs.Bound);
        Assert.False(port.UserIrqs.Raise(0));
    }

    [Fact]
    public void A_vector_past_the_drivers_count_is_invalid_param_and_sends_no_set_irq()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 2;
        using var acc = Open(out _);

        TestSim.Fails(FpgaResult.InvalidParam, () => acc.RegisterEvent(FpgaEventType.Interrupt, vector: 2));
        Assert.DoesNotContain(_kernel.Ioctls, c => c.Request == UintSetIrq);
    }

    [Fact]
    public void An_afu_without_user_interrupts_is_no_daemon_as_opae_answers_without_fpgad()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(out _);

        var e = TestSim.Fails(FpgaResult.NoDaemon, () => acc.RegisterEvent(FpgaEventType.Interrupt));
        Assert.Contains("fpgad", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_driver_without_the_interrupt_ioctls_is_no_daemon_too()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 2;
        port.UserIrqs.CountFails = Errno.EINVAL;
        using var acc = Open(out _);

        TestSim.Fails(FpgaResult.NoDaemon, () => acc.RegisterEvent(FpgaEventType.Interrupt));
    }

    [Fact]
    public void The_legacy_intel_fpga_driver_gets_no_interrupt_ioctl_as_in_opae()
    {
        FakeDflCards.Add(_kernel, legacy: true);
        using var acc = Accelerator.Open(new DflBackend(_kernel, DflDriver.Legacy).Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator));
        var before = _kernel.Ioctls.Count;

        TestSim.Fails(FpgaResult.NoDaemon, () => acc.RegisterEvent(FpgaEventType.Interrupt));
        TestSim.Fails(FpgaResult.NoDaemon, () => acc.RegisterEvent(FpgaEventType.Error));
        Assert.Equal(before, _kernel.Ioctls.Count);
    }

    [Fact]
    public async Task A_port_error_event_binds_the_port_error_interrupt_and_fires_when_the_port_reports_an_error()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(out _);
        using var ev = acc.RegisterEvent(FpgaEventType.Error);

        Assert.Contains(_kernel.Ioctls, c => c.Request == ErrGetIrqNum);
        var set = _kernel.Ioctls.Single(c => c.Request == ErrSetIrq).Bytes!;
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(set));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(4)));

        var wait = ev.WaitAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.True(port.ErrorIrqs.Raise(0));
        Assert.Equal(1UL, await wait.WaitAsync(s_wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_device_handle_error_event_opens_the_fme_node_and_binds_its_error_interrupt()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        var backend = new DflBackend(_kernel, DflDriver.Upstream);
        using var device = Accelerator.Open(backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Device), shared: true);
        Assert.Equal(0, _kernel.OpensOf("/dev/dfl-fme.0"));

        using var ev = device.RegisterEvent(FpgaEventType.Error);

        Assert.Equal(1, port.Fme.Opens);
        var get = _kernel.Ioctls.Single(c => c.Request == FmeErrGetIrqNum);
        Assert.Equal("/dev/dfl-fme.0", get.Path);
        var set = _kernel.Ioctls.Single(c => c.Request == FmeErrSetIrq).Bytes!;
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(set));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(set.AsSpan(4)));

        var wait = ev.WaitAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.True(port.Fme.ErrorIrqs.Raise(0));
        Assert.Equal(1UL, await wait.WaitAsync(s_wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Closing_a_device_handle_unbinds_the_fme_error_interrupt_and_closes_the_fme_node()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        var device = Accelerator.Open(new DflBackend(_kernel, DflDriver.Upstream).Enumerate().First(t => t.ObjectType == FpgaObjectType.Device), shared: true);
        var ev = device.RegisterEvent(FpgaEventType.Error);

        device.Dispose();

        var unset = _kernel.Ioctls.Last(c => c.Request == FmeErrSetIrq).Bytes!;
        Assert.Equal(-1, BinaryPrimitives.ReadInt32LittleEndian(unset.AsSpan(8)));
        Assert.Equal(0, port.Fme.Opens);
        ev.Dispose();
        Assert.Equal(0, _kernel.OpenDescriptors);
    }

    [Fact]
    public void An_interrupt_on_a_device_handle_is_invalid_param()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var device = Accelerator.Open(new DflBackend(_kernel, DflDriver.Upstream).Enumerate().First(t => t.ObjectType == FpgaObjectType.Device));
        TestSim.Fails(FpgaResult.InvalidParam, () => device.RegisterEvent(FpgaEventType.Interrupt));
    }

    [Fact]
    public void Power_and_thermal_events_are_no_daemon_on_dfl()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(out _);
        TestSim.Fails(FpgaResult.NoDaemon, () => acc.RegisterEvent(FpgaEventType.PowerThermal));
    }

    [Fact]
    public void A_second_handle_cannot_take_a_vector_the_first_holds_because_the_driver_keeps_one_eventfd_per_vector()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 1;
        using var first = Open(out var backend, shared: true);
        using var second = Accelerator.Open(backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator), shared: true);
        using var ev = first.RegisterEvent(FpgaEventType.Interrupt, 0);
        var bound = port.UserIrqs.Bound[0];

        var e = TestSim.Fails(FpgaResult.InvalidParam, () => second.RegisterEvent(FpgaEventType.Interrupt, 0));

        Assert.Contains("already signals", e.Message, StringComparison.Ordinal);
        Assert.Equal(bound, port.UserIrqs.Bound[0]);
    }

    [Fact]
    public void A_set_irq_the_driver_refuses_leaves_the_vector_free()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 1;
        using var acc = Open(out _);
        _kernel.FailIoctl(UintSetIrq, Errno.EINVAL);

        TestSim.Fails(FpgaResult.InvalidParam, () => acc.RegisterEvent(FpgaEventType.Interrupt, 0));
        using var ev = acc.RegisterEvent(FpgaEventType.Interrupt, 0);
        Assert.True(port.UserIrqs.Raise(0));
    }

    [Fact]
    public void Closing_the_handle_unbinds_what_is_still_registered()
    {
        var port = FakeDflCards.Add(_kernel, legacy: false);
        port.UserIrqs.Count = 2;
        using var other = Open(out var backend, shared: true);
        var acc = Accelerator.Open(backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator), shared: true);
        var ev0 = acc.RegisterEvent(FpgaEventType.Interrupt, 0);
        var ev1 = acc.RegisterEvent(FpgaEventType.Interrupt, 1);

        acc.Dispose();

        // Another handle keeps the port open, so only the explicit unbinding clears the driver's vectors.
        Assert.Empty(port.UserIrqs.Bound);
        using var again = other.RegisterEvent(FpgaEventType.Interrupt, 0);
        ev0.Dispose();
        ev1.Dispose();
    }

    [Fact]
    public unsafe void A_512_bit_write_lands_as_64_bytes_in_the_mapped_registers()
    {
        Assert.SkipUnless(MmioWindow.CpuHas512BitStores, "this CPU has no AVX-512, so the write is NOT_SUPPORTED (the other test covers that)");
        var port = FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(out _);
        var value = Enumerable.Range(1, 64).Select(i => (byte)i).ToArray();

        acc.WriteMmio512(0x200, value);

        Assert.Equal(value, new ReadOnlySpan<byte>((void*)(port.Registers + 0x200), 64).ToArray());
    }

    [Fact]
    public void A_512_bit_write_is_not_supported_on_a_cpu_without_avx_512()
    {
        Assert.SkipWhen(MmioWindow.CpuHas512BitStores, "this CPU has AVX-512, so the write is made (the other test covers that)");
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(out _);
        TestSim.Fails(FpgaResult.NotSupported, () => acc.WriteMmio512(0x200, new byte[64]));
    }

    [Theory]
    [InlineData(0x208UL, 64)]
    [InlineData(0x200UL, 63)]
    [InlineData(FakeDflPort.MmioSize - 32, 64)]
    public void A_512_bit_write_that_is_unaligned_short_or_past_the_region_is_invalid_param(ulong offset, int length)
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(out _);
        TestSim.Fails(FpgaResult.InvalidParam, () => acc.WriteMmio512(offset, new byte[length]));
    }

    [Fact]
    public void Shared_virtual_addressing_is_not_supported_by_the_port_driver()
    {
        FakeDflCards.Add(_kernel, legacy: false);
        using var acc = Open(out _);
        Assert.Equal(FpgaResult.NotSupported, acc.BindSva(out _).Result);
    }

    public void Dispose() => _kernel.Dispose();

    private Accelerator Open(out DflBackend backend, bool shared = false)
    {
        backend = new DflBackend(_kernel, DflDriver.Upstream);
        return Accelerator.Open(backend.Enumerate().First(t => t.ObjectType == FpgaObjectType.Accelerator), shared);
    }
}
