namespace OpaeSharp;

/// <summary>One error register of an FPGA device or accelerator port, read now.</summary>
/// <param name="Name">The register, as the driver names it ("errors", "pcie0_errors", "first_error").</param>
/// <param name="Value">Its bits; 0 when no error is latched.</param>
/// <param name="CanClear">Whether <see cref="Enumeration.AcceleratorToken.ClearErrors"/> resets it.</param>
public sealed record FpgaError(string Name, ulong Value, bool CanClear);
