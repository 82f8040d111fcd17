namespace OpaeSharp.Simulation;

/// <summary>
/// The host link of a simulated card, for pacing DMA: each direction moves
/// <see cref="GigabytesPerSecond"/> (10⁹ bytes per second, reads and writes in parallel, as PCIe
/// is full duplex), and every transfer completes <see cref="Latency"/> after its last byte left.
/// Without a link model an AFU's DMA runs as fast as the host can copy.
/// </summary>
/// <param name="GigabytesPerSecond">Bandwidth of each direction in GB/s (16 for PCIe Gen4 x16 after overheads); positive.</param>
/// <param name="Latency">Time from a request to its completion, on top of the transfer time.</param>
public sealed record LinkModel(double GigabytesPerSecond, TimeSpan Latency)
{
    /// <summary>About what a PCIe Gen4 x16 slot delivers: 16 GB/s each way, 800 ns.</summary>
    public static LinkModel PcieGen4x16 { get; } = new(16, TimeSpan.FromMicroseconds(0.8));

    /// <summary>About what a PCIe Gen3 x16 slot delivers: 12 GB/s each way, 1 µs.</summary>
    public static LinkModel PcieGen3x16 { get; } = new(12, TimeSpan.FromMicroseconds(1));

    /// <summary>The time <paramref name="bytes"/> take on one direction of the link, latency excluded.</summary>
    public TimeSpan TransferTime(ulong bytes) => TimeSpan.FromSeconds(bytes / (GigabytesPerSecond * 1e9));

    internal void Validate()
    {
        if (!(GigabytesPerSecond > 0) || double.IsInfinity(GigabytesPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(GigabytesPerSecond), GigabytesPerSecond, "a link's bandwidth is a positive number of GB/s");
        }

        if (Latency < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Latency), Latency, "a link's latency cannot be negative");
        }
    }
}
