namespace OpaeSharp.Devices.Simulated;

/// <summary>
/// Error registers of a simulated FME or port, named as the DFL driver's sysfs attributes name them
/// (a port's <c>errors</c> and <c>first_error</c>; an FME's <c>errors</c>, <c>pcie0_errors</c>, …).
/// AFU models, injected faults and the DMA sanitizer raise bits; a program clears them, as it
/// clears hardware errors by writing the value it read. Thread-safe.
/// </summary>
internal sealed class SimulatedErrors
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ulong> _registers;
    private readonly Dictionary<string, ulong> _first = [];

    /// <param name="names">The registers this block has, all zero at power-on.</param>
    internal SimulatedErrors(params string[] names)
    {
        _registers = names.ToDictionary(n => n, _ => 0UL, StringComparer.Ordinal);
        Interrupt = new SimulatedErrorInterrupt(this);
    }

    /// <summary>The block's error interrupt: one vector, raised whenever bits are set (FPGA_EVENT_ERROR).</summary>
    internal SimulatedErrorInterrupt Interrupt { get; }

    /// <summary>Raised after bits were set in a register (the error interrupt of the block).</summary>
    internal event Action<string, ulong>? Raised;

    internal IReadOnlyCollection<string> Names => _registers.Keys;

    /// <summary>The register's value; 0 for a name this block does not have.</summary>
    internal ulong Read(string name)
    {
        lock (_lock)
        {
            return _registers.GetValueOrDefault(name);
        }
    }

    /// <summary>The value the register had when it first became non-zero since it was last clear (the driver's <c>first_error</c>).</summary>
    internal ulong First(string name)
    {
        lock (_lock)
        {
            return _first.GetValueOrDefault(name);
        }
    }

    /// <summary>Sets <paramref name="bits"/> in <paramref name="name"/>; false when the block has no such register.</summary>
    internal bool Set(string name, ulong bits)
    {
        lock (_lock)
        {
            if (!_registers.TryGetValue(name, out var value))
            {
                return false;
            }

            if (value == 0 && bits != 0)
            {
                _first[name] = bits;
            }

            _registers[name] = value | bits;
        }

        if (bits != 0)
        {
            Raised?.Invoke(name, bits);
        }

        return true;
    }

    /// <summary>Clears the bits of <paramref name="mask"/> (write-one-to-clear, as the hardware does); false for an unknown register.</summary>
    internal bool Clear(string name, ulong mask)
    {
        lock (_lock)
        {
            if (!_registers.TryGetValue(name, out var value))
            {
                return false;
            }

            var left = value & ~mask;
            _registers[name] = left;
            if (left == 0)
            {
                _first.Remove(name);
            }
        }

        return true;
    }
}
