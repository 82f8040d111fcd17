using OpaeSharp.Enumeration;

namespace OpaeSharp.Native.Handles;

/// <summary>The library's tables of the objects C programs hold by opaque value.</summary>
internal static class NativeObjects
{
    // 'P' 'h' / 'P' 't' / 'P' 'p': distinct per kind, so a token passed as a handle is not found.
    internal static HandleTable<Accelerator> Handles { get; } = new(0x5068);

    internal static HandleTable<AcceleratorToken> Tokens { get; } = new(0x5074);

    internal static HandleTable<NativeProperties> Properties { get; } = new(0x5070);

    // 'P' 'o': fpga_object.
    internal static HandleTable<NativeSysobject> Objects { get; } = new(0x506f);

    // 'P' 'e': fpga_event_handle.
    internal static HandleTable<NativeEventHandle> EventHandles { get; } = new(0x5065);
}
