using OpaeSharp.Objects;

namespace OpaeSharp.Native.Handles;

/// <summary>
/// One <c>fpga_object</c>: the node, and the handle it was made through (null when made from a
/// token), which must still be open for a write.
/// </summary>
internal sealed record NativeSysobject(SysfsObject Node, Accelerator? Owner);
