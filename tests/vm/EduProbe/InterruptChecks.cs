using OpaeSharp.Events;

namespace OpaeSharp.VmTests;

/// <summary>
/// FPGA_EVENT_INTERRUPT through our VFIO backend against the real kernel: registering vector 0 makes
/// vfio-pci enable edu's MSI with our eventfd (VFIO_DEVICE_SET_IRQS), and the eventfd fires when
/// the device raises its interrupt, by a write to its raise register or when a DMA finishes.
/// Unregistering disables MSI again: the kernel's vfio-msi interrupt goes away, and a new
/// registration starts with nothing pending. /proc/interrupts is the kernel's own count.
/// </summary>
internal sealed class InterruptChecks(EduTarget target, Report report)
{
    private static readonly TimeSpan s_fires = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(500);

    internal void Run()
    {
        report.Run("irq.edu_has_one_msi_vector", OneVector);
        report.Run("irq.raise_register_fires_the_event", RaiseFires);
        report.Run("irq.dma_completion_fires_the_event", DmaFires);
        report.Run("irq.unregister_disables_msi", UnregisterDisables);
        report.Run("irq.error_and_thermal_events_not_supported", ErrorEventsNotSupported);
        report.Run("mmio512.not_supported_without_a_512_bit_store", Mmio512);
    }

    private string OneVector()
    {
        using var accelerator = target.Open();
        CheckFailedException.Unless(
            !accelerator.TryRegisterEvent(FpgaEventType.Interrupt, 1, out _, out var result) && result == FpgaResult.InvalidParam,
            $"vector 1 of edu (one MSI vector) registered as {result}, not INVALID_PARAM");
        using var ev = accelerator.RegisterEvent(FpgaEventType.Interrupt, 0);
        var line = KernelView.VfioInterrupt(target.PciAddress);
        CheckFailedException.Unless(line is not null, $"/proc/interrupts has no vfio-msi line for {target.PciAddress} after registering vector 0");
        var vectors = KernelView.MsiVectors(target.PciAddress);
        CheckFailedException.Unless(vectors == 1, $"the kernel allocated {vectors} MSI vectors to {target.PciAddress}, not edu's 1");
        return $"vector 0 registered: MSI enabled with 1 vector, the kernel shows {line!.Value.Name}; vector 1 refused";
    }

    private string RaiseFires()
    {
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        edu.Acknowledge();
        using var ev = accelerator.RegisterEvent(FpgaEventType.Interrupt, 0);
        var before = KernelView.VfioInterrupt(target.PciAddress)?.Count ?? 0;

        edu.Raise(0x1);
        var count = Wait(ev, s_fires) ?? throw new CheckFailedException($"no event within {s_fires.TotalSeconds} s of writing the raise register");
        var status = edu.Acknowledge();
        var after = KernelView.VfioInterrupt(target.PciAddress)?.Count ?? 0;
        CheckFailedException.Unless((status & 0x1) != 0, $"interrupt status 0x{status:x} lacks the raised bit 0x1");
        CheckFailedException.Unless(after > before, $"the kernel counted no MSI ({before} before, {after} after)");
        return $"eventfd counted {count}; the kernel counted {after - before} MSI; status 0x{status:x}";
    }

    private string DmaFires()
    {
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        edu.Acknowledge();
        using var buffer = accelerator.PrepareBuffer(4096);
        CheckFailedException.Unless(((buffer.IoAddress + 4095) & ~Edu.DmaMask) == 0, $"IO address 0x{buffer.IoAddress:x} is beyond edu's DMA mask");
        using var ev = accelerator.RegisterEvent(FpgaEventType.Interrupt, 0);

        edu.FromHost(buffer.IoAddress, 256, interrupt: true);
        var count = Wait(ev, s_fires) ?? throw new CheckFailedException($"no event within {s_fires.TotalSeconds} s of a DMA with its interrupt bit");
        var status = edu.Acknowledge();
        CheckFailedException.Unless((status & Edu.DmaInterrupt) != 0, $"interrupt status 0x{status:x} lacks the DMA bit 0x100");

        // Without the interrupt bit, the same transfer raises nothing.
        edu.FromHost(buffer.IoAddress, 256);
        var quiet = Wait(ev, s_quiet);
        CheckFailedException.Unless(quiet is null, $"a DMA without its interrupt bit fired the event ({quiet})");
        return $"DMA completion counted {count}, status 0x{status:x}; a DMA without the bit fired nothing";
    }

    private string UnregisterDisables()
    {
        using var accelerator = target.Open();
        var edu = new Edu(accelerator);
        edu.Acknowledge();
        var ev = accelerator.RegisterEvent(FpgaEventType.Interrupt, 0);
        edu.Raise(0x2);
        CheckFailedException.Unless(Wait(ev, s_fires) is not null, "the event did not fire before unregistering");
        edu.Acknowledge();

        ev.Dispose();
        var line = KernelView.VfioInterrupt(target.PciAddress);
        CheckFailedException.Unless(line is null, $"/proc/interrupts still has {line?.Name} after unregistering: the eventfd is still bound");
        var vectors = KernelView.MsiVectors(target.PciAddress);
        CheckFailedException.Unless(vectors == 0, $"{vectors} MSI vector(s) still allocated after unregistering the last event: MSI stayed enabled");

        // Raised while nothing is registered: lost, so a new registration starts quiet.
        edu.Raise(0x4);
        edu.Acknowledge();
        using var again = accelerator.RegisterEvent(FpgaEventType.Interrupt, 0);
        var stale = Wait(again, s_quiet);
        CheckFailedException.Unless(stale is null, $"a new registration saw {stale} interrupt(s) raised while none was registered");
        edu.Raise(0x8);
        CheckFailedException.Unless(Wait(again, s_fires) is not null, "the new registration did not fire");
        edu.Acknowledge();
        return "unregistering the last event disabled MSI (no vfio-msi interrupt, no MSI vector allocated); re-registered quiet, then fired";
    }

    private string ErrorEventsNotSupported()
    {
        using var accelerator = target.Open();
        foreach (var type in (FpgaEventType[])[FpgaEventType.Error, FpgaEventType.PowerThermal])
        {
            CheckFailedException.Unless(
                !accelerator.TryRegisterEvent(type, 0, out _, out var result) && result == FpgaResult.NotSupported,
                $"{type} registered as {result}, not NOT_SUPPORTED (OPAE's vfio plugin has none)");
        }

        return "FPGA_EVENT_ERROR and FPGA_EVENT_POWER_THERMAL: NOT_SUPPORTED";
    }

    private string Mmio512()
    {
        using var accelerator = target.Open();
        var e = Attempt(() => accelerator.WriteMmio512(0x80, new byte[64]));
        CheckFailedException.Unless(e?.Result == FpgaResult.NotSupported, $"a 512-bit write gave {e?.Result.ToString() ?? "OK"}: the NativeAOT probe has no AVX-512 store, so NOT_SUPPORTED was expected");
        return $"NOT_SUPPORTED: {e!.Message}";
    }

    private static OpaeException? Attempt(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (OpaeException e)
        {
            return e;
        }
    }

    /// <summary>The event's count if it fired within <paramref name="timeout"/>, else null.</summary>
    private static ulong? Wait(AcceleratorEvent ev, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return ev.WaitAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
