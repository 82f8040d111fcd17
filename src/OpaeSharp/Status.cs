namespace OpaeSharp;

/// <summary>
/// What an operation of the library's core came to: OPAE's result code and, on failure, why.
/// The core returns it instead of throwing, so a refused call costs no exception: the public .NET
/// methods throw <see cref="OpaeException"/> from it, the <c>Try…</c> methods and the C exports
/// return its code.
/// </summary>
internal readonly struct Status
{
    private Status(FpgaResult result, string? reason)
    {
        Result = result;
        Reason = reason;
    }

    /// <summary>Success (the default value).</summary>
    internal static Status Ok => default;

    internal FpgaResult Result { get; }

    /// <summary>What went wrong and, where it helps, what to do; null on success.</summary>
    internal string? Reason { get; }

    internal bool IsOk => Result == FpgaResult.Ok;

    internal static Status Fail(FpgaResult result, string reason) => new(result, reason);

    /// <summary>The exception a throwing public method raises for this failure.</summary>
    internal OpaeException ToException() => new(Result, Reason ?? Result.Describe());

    /// <summary>Throws <see cref="ToException"/> unless this is success.</summary>
    internal void ThrowIfFailed()
    {
        if (!IsOk)
        {
            throw ToException();
        }
    }

    public override string ToString() => IsOk ? "ok" : $"{Result.Describe()}: {Reason}";
}
