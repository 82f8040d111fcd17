namespace OpaeSharp.Objects;

/// <summary>OPAE's <c>fpga_sysobject_flags</c>.</summary>
[Flags]
internal enum ObjectFlags
{
    None = 0,
    Sync = 1 << 0,
    Glob = 1 << 1,
    Raw = 1 << 2,
    RecurseOne = 1 << 3,
    RecurseAll = 1 << 4,
}
