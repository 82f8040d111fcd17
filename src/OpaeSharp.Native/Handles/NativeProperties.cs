using OpaeSharp.Enumeration;

namespace OpaeSharp.Native.Handles;

/// <summary>
/// One <c>fpga_properties</c> object. Its fields are exactly an <see cref="AcceleratorFilter"/>'s:
/// each unset (null) until a setter or fpgaGetProperties fills it; getters of unset fields answer
/// FPGA_NOT_FOUND, as OPAE's do, and an enumeration filter is a copy of them.
/// Guarded by <see cref="Sync"/> because C programs may share one object between threads.
/// </summary>
internal sealed class NativeProperties
{
    private NativeProperties(AcceleratorFilter fields) => Fields = fields;

    internal NativeProperties()
        : this(new AcceleratorFilter())
    {
    }

    internal Lock Sync { get; } = new();

    /// <summary>The fields; read and write them only while holding <see cref="Sync"/>.</summary>
    internal AcceleratorFilter Fields { get; private set; }

    /// <summary>The properties of an enumerated object: everything it reports is set.</summary>
    internal static NativeProperties Of(AcceleratorToken token) => new(AcceleratorFilter.Of(token));

    internal void Fill(AcceleratorToken token)
    {
        lock (Sync)
        {
            Fields = AcceleratorFilter.Of(token);
        }
    }

    internal void Clear()
    {
        lock (Sync)
        {
            Fields = new AcceleratorFilter();
        }
    }

    internal NativeProperties Clone()
    {
        lock (Sync)
        {
            return new NativeProperties(Fields.Clone());
        }
    }

    /// <summary>The enumeration filter these properties describe (unset fields match anything).</summary>
    internal AcceleratorFilter ToFilter()
    {
        lock (Sync)
        {
            return Fields.Clone();
        }
    }
}
