using System.Runtime.InteropServices;

namespace OpaeSharp.Native.Exports;

/// <summary>OPAE's <c>fpga_version</c> (4 bytes: major, minor, patch).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FpgaVersion
{
    internal byte Major;
    internal byte Minor;
    internal ushort Patch;
}
