using System.Runtime.InteropServices;

namespace OpaeSharp.Interop;

/// <summary>
/// The C plugin ABI of simulated AFUs, field for field as <c>opae/sim-afu.h</c> declares it
/// (src/OpaeSharp.Native/include/opae/sim-afu.h): what the simulator hands a plugin
/// (<see cref="opae_sim_afu_host"/>) and what the plugin fills in (<see cref="opae_sim_afu"/>).
/// The layout is checked by tests on both sides.
/// </summary>
internal static unsafe class SimAfuAbi
{
    internal const uint AbiVersion = 1;

    internal const string CreateSymbol = "opae_sim_afu_create";

    internal const int AfuIdBytes = 40;

    internal const int NameBytes = 32;

    [StructLayout(LayoutKind.Sequential)]
    internal struct opae_sim_afu_host
    {
        public uint abi_version;
        public uint reserved;
        public delegate* unmanaged<nint, ulong, void*, ulong, int> dma_read;
        public delegate* unmanaged<nint, ulong, void*, ulong, int> dma_write;
        public delegate* unmanaged<nint, uint, int> raise_interrupt;
        public delegate* unmanaged<nint, ulong, void> set_port_error;
        public delegate* unmanaged<nint, nint, void*, int> run;
        public delegate* unmanaged<nint, int> stopping;
        public delegate* unmanaged<nint, ulong, int> delay;
        public delegate* unmanaged<nint, ulong> now_ns;
        public delegate* unmanaged<nint, byte*> registers;
        public delegate* unmanaged<nint, byte*, void> log;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct opae_sim_afu
    {
        public uint abi_version;
        public uint num_interrupts;
        public ulong mmio_size;
        public fixed byte afu_id[AfuIdBytes];
        public fixed byte name[NameBytes];
        public void* state;
        public delegate* unmanaged<void*, ulong, ulong> mmio_read64;
        public delegate* unmanaged<void*, ulong, ulong, void> mmio_write64;
        public delegate* unmanaged<void*, ulong, uint> mmio_read32;
        public delegate* unmanaged<void*, ulong, uint, void> mmio_write32;
        public delegate* unmanaged<void*, void> reset;
        public delegate* unmanaged<void*, void> destroy;
    }
}
