using System.Diagnostics;

namespace OpaeSharp.VmTests;

/// <summary>
/// QEMU's <c>edu</c> teaching device (PCI 1234:11e8), driven through an <see cref="Accelerator"/>
/// opened on its VFIO function. Only the registers this test uses are named here.
/// </summary>
/// <remarks>
/// Register map of BAR0 (1 MiB), in our words after QEMU's docs/specs/edu.rst. Registers below 0x80
/// take 32-bit accesses only, the DMA registers at 0x80 and above 32- or 64-bit accesses.
/// <list type="table">
/// <item><term>0x00 (read)</term><description>identification, <c>0xRRrr00ed</c>: major version RR, minor rr, low byte 0xed.</description></item>
/// <item><term>0x04 (read/write)</term><description>liveness: reads back the bitwise NOT of the last value written.</description></item>
/// <item><term>0x24 (read)</term><description>interrupt status: the bits that raised the interrupt (0x100 for a finished DMA).</description></item>
/// <item><term>0x60 (write)</term><description>interrupt raise: ORs the value into the status and raises the interrupt (an MSI once MSI is enabled, else INTx).</description></item>
/// <item><term>0x64 (write)</term><description>interrupt acknowledge: clears the value's bits from the status.</description></item>
/// <item><term>0x80</term><description>DMA source address.</description></item>
/// <item><term>0x88</term><description>DMA destination address.</description></item>
/// <item><term>0x90</term><description>DMA transfer count in bytes.</description></item>
/// <item><term>0x98</term><description>DMA command: bit 0 starts the transfer and reads 1 until it is done; bit 1 is the
/// direction (0: host memory to the device, 1: device to host memory); bit 2 asks for an interrupt when done.</description></item>
/// </list>
/// The device has one 4 KiB buffer of its own, which the DMA registers address as 0x40000..0x40fff;
/// the host side of a transfer is a bus address, here the IO address our VFIO backend chose, which
/// the IOMMU translates. Host addresses are masked to 28 bits (edu's DMA mask) before use, so an IO
/// address at or above 256 MiB would silently reach another address: every transfer is checked
/// against the mask first. A transfer starts about 100 ms (virtual time) after the command is written.
/// QEMU 7.2 (Debian 12) stops the whole machine on a transfer that ends on the last byte of the
/// device buffer, so transfers here stay at or below <see cref="MaxTransfer"/> bytes from its start.
/// </remarks>
internal sealed class Edu(Accelerator accelerator)
{
    internal const ulong Identification = 0x00;
    internal const ulong Liveness = 0x04;
    internal const ulong InterruptStatus = 0x24;
    internal const ulong InterruptRaise = 0x60;
    internal const ulong InterruptAcknowledge = 0x64;
    internal const ulong DmaSource = 0x80;
    internal const ulong DmaDestination = 0x88;
    internal const ulong DmaCount = 0x90;
    internal const ulong DmaCommand = 0x98;

    internal const ulong CommandStart = 0x1;
    internal const ulong CommandToHost = 0x2;
    internal const ulong CommandInterrupt = 0x4;

    /// <summary>The status bit a finished DMA raises with <see cref="CommandInterrupt"/>.</summary>
    internal const uint DmaInterrupt = 0x100;

    /// <summary>Where the device's own buffer sits in its DMA address map.</summary>
    internal const ulong DeviceBuffer = 0x40000;

    /// <summary>The longest transfer that stays clear of QEMU 7.2's end-of-buffer abort.</summary>
    internal const int MaxTransfer = 4095;

    /// <summary>The host addresses the device can form (28 bits, 256 MiB).</summary>
    internal const ulong DmaMask = (1UL << 28) - 1;

    private static readonly TimeSpan s_transferTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The identification register, e.g. 0x010000ed for version 1.0.</summary>
    internal uint ReadIdentification() => accelerator.ReadMmio32(Identification);

    /// <summary>Writes the liveness register and returns what it reads back (the NOT of <paramref name="value"/>).</summary>
    internal uint Echo(uint value)
    {
        accelerator.WriteMmio32(Liveness, value);
        return accelerator.ReadMmio32(Liveness);
    }

    /// <summary>Copies <paramref name="count"/> bytes from host IO address <paramref name="ioAddress"/> into the device buffer; with <paramref name="interrupt"/>, raises 0x100 when done.</summary>
    internal void FromHost(ulong ioAddress, int count, bool interrupt = false) =>
        Transfer(source: ioAddress, destination: DeviceBuffer, count, CommandStart | (interrupt ? CommandInterrupt : 0), ioAddress);

    /// <summary>Raises the interrupt with <paramref name="bits"/> in the status register.</summary>
    internal void Raise(uint bits) => accelerator.WriteMmio32(InterruptRaise, bits);

    /// <summary>Acknowledges every raised bit, as an interrupt handler must.</summary>
    internal uint Acknowledge()
    {
        var status = accelerator.ReadMmio32(InterruptStatus);
        accelerator.WriteMmio32(InterruptAcknowledge, status);
        return status;
    }

    /// <summary>Copies <paramref name="count"/> bytes from the device buffer to host IO address <paramref name="ioAddress"/>.</summary>
    internal void ToHost(ulong ioAddress, int count) =>
        Transfer(source: DeviceBuffer, destination: ioAddress, count, CommandStart | CommandToHost, ioAddress);

    private void Transfer(ulong source, ulong destination, int count, ulong command, ulong hostAddress)
    {
        if (count <= 0 || count > MaxTransfer)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"edu transfers 1..{MaxTransfer} bytes, not {count}");
        }

        if (((hostAddress + (ulong)count - 1) & ~DmaMask) != 0)
        {
            throw new InvalidOperationException(
                $"IO address 0x{hostAddress:x}+{count} is beyond edu's 28-bit DMA mask: the device would reach 0x{hostAddress & DmaMask:x} instead");
        }

        accelerator.WriteMmio64(DmaSource, source);
        accelerator.WriteMmio64(DmaDestination, destination);
        accelerator.WriteMmio64(DmaCount, (ulong)count);
        accelerator.WriteMmio64(DmaCommand, command);

        // The device clears the start bit when the copy is done, whether or not the IOMMU let it land.
        var watch = Stopwatch.StartNew();
        while ((accelerator.ReadMmio64(DmaCommand) & CommandStart) != 0)
        {
            if (watch.Elapsed > s_transferTimeout)
            {
                throw new TimeoutException($"edu DMA 0x{source:x} -> 0x{destination:x} ({count} bytes) still running after {s_transferTimeout.TotalSeconds} s");
            }

            Thread.Sleep(2);
        }
    }
}
