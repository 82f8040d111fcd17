using System.Runtime.InteropServices;

namespace OpaeSharp.VmTests;

/// <summary>Page-aligned memory the test owns, for FPGA_BUF_PREALLOCATED buffers. Outlives the buffers made from it.</summary>
internal sealed unsafe class CallerMemory : IDisposable
{
    private void* _pointer;

    internal CallerMemory(int length)
    {
        Length = length;
        _pointer = NativeMemory.AlignedAlloc((nuint)length, 4096);
        Span.Clear();
    }

    internal int Length { get; }

    internal nint Address => (nint)_pointer;

    internal Span<byte> Span => new(_pointer, Length);

    public void Dispose()
    {
        if (_pointer is not null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
    }
}
