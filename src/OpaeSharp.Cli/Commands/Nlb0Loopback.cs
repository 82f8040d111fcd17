using OpaeSharp.Devices;
using OpaeSharp.Enumeration;
using OpaeSharp.Simulation;

namespace OpaeSharp.Cli.Commands;

/// <summary>
/// The host side of OPAE's hello_fpga sample, step for step: three 2 MiB buffers (DSM, input,
/// output), input patterned, output poisoned, reset, CSRs programmed, start, poll the DSM, stop,
/// wait for the AFU's traffic to drain, compare.
/// </summary>
internal static class Nlb0Loopback
{
    internal static readonly Guid AfuId = new("D8424DC4-A4A3-C413-F89E-433683F9040B");

    private const long BufferAllocation = 2 << 20;
    private const int TestBytes = 1 << 20;
    private const int CacheLine = 64;
    private const ulong CsrDsmBase = 0x110;
    private const ulong CsrSrcAddr = 0x120;
    private const ulong CsrDstAddr = 0x128;
    private const ulong CsrNumLines = 0x130;
    private const ulong CsrCtl = 0x138;
    private const ulong CsrCfg = 0x140;
    private const ulong CsrStatus1 = 0x168;
    private const long DsmStatusComplete = 0x40;

    /// <summary>What the loopback did and found.</summary>
    /// <param name="Matched">True when the AFU completed and the output matches the input.</param>
    /// <param name="FirstMismatch">The first offset where output and input differ; -1 when none.</param>
    /// <param name="Steps">What was done, one line each, as printed.</param>
    /// <param name="Faults">Device accesses the simulated IOMMU refused.</param>
    /// <param name="Failure">Why the loopback failed, in words; null when it passed.</param>
    internal sealed record Result(bool Matched, long FirstMismatch, IReadOnlyList<string> Steps, IReadOnlyList<DmaFault> Faults, string? Failure);

    /// <summary>Runs the loopback on <paramref name="accelerator"/>, an NLB0 (or an AFU with its registers).</summary>
    /// <remarks>The wait for the AFU sleeps rather than spins, and <paramref name="cancellationToken"/> (Ctrl+C) ends it.</remarks>
    internal static Result Run(Accelerator accelerator, TimeSpan timeout, Action<string> log, CancellationToken cancellationToken = default)
    {
        var steps = new List<string>();
        void Step(string text)
        {
            steps.Add(text);
            log(text);
        }

        Step($"opened {accelerator.Token}");

        using var dsm = accelerator.PrepareBuffer(BufferAllocation);
        using var input = accelerator.PrepareBuffer(BufferAllocation);
        using var output = accelerator.PrepareBuffer(BufferAllocation);
        foreach (var (name, buffer) in new[] { ("DSM", dsm), ("input", input), ("output", output) })
        {
            Step($"prepared {name}: {buffer}");
        }

        dsm.Fill(0);
        input.Fill(0xAF, 0, TestBytes);
        output.Fill(0xBE, 0, TestBytes);
        for (var line = 0; line < TestBytes / CacheLine; line++)
        {
            input.Write(((long)line * CacheLine) + 60, (uint)(line + 1));
        }

        accelerator.Reset();
        accelerator.WriteMmio64(CsrDsmBase, dsm.IoAddress);
        accelerator.WriteMmio32(CsrCtl, 0);
        accelerator.WriteMmio32(CsrCtl, 1);
        accelerator.WriteMmio64(CsrSrcAddr, input.IoAddress >> 6);
        accelerator.WriteMmio64(CsrDstAddr, output.IoAddress >> 6);
        accelerator.WriteMmio32(CsrNumLines, TestBytes / CacheLine);
        accelerator.WriteMmio32(CsrCfg, 0x42000);
        Step($"programmed NLB0: copy {TestBytes / CacheLine} cache lines from 0x{input.IoAddress:x} to 0x{output.IoAddress:x}, DSM at 0x{dsm.IoAddress:x}");

        accelerator.WriteMmio32(CsrCtl, 3);
        bool completed;
        try
        {
            completed = dsm.Poll<ulong>(DsmStatusComplete, 1, 1, timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            accelerator.WriteMmio32(CsrCtl, 7);
            Step("cancelled while waiting for the AFU");
            return new Result(false, -1, steps, SimulatedAccelerator.Of(accelerator)?.DmaFaults ?? [], steps[^1]);
        }

        accelerator.WriteMmio32(CsrCtl, 7);
        for (var trips = 0; trips < 100 && accelerator.ReadMmio64(CsrStatus1) != 0; trips++)
        {
            Thread.Sleep(1);
        }

        var problems = new List<string>();
        if (!completed)
        {
            problems.Add($"the AFU did not signal completion within {timeout.TotalSeconds:0.###} s");
            Step(problems[^1]);
        }
        else if ((dsm.Read<ulong>(DsmStatusComplete) & 2) != 0)
        {
            problems.Add("the AFU stopped on an error");
            Step(problems[^1]);
        }

        var mismatch = input.Compare(output, TestBytes);
        if (mismatch >= 0)
        {
            problems.Add($"output does NOT match input at offset {mismatch}");
        }

        Step(mismatch < 0 ? $"output matches input ({TestBytes} bytes)" : problems[^1]);
        var passed = completed && mismatch < 0;
        return new Result(passed, mismatch, steps, SimulatedAccelerator.Of(accelerator)?.DmaFaults ?? [], passed ? null : string.Join("; ", problems));
    }
}
