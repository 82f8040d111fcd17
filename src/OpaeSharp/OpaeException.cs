namespace OpaeSharp;

/// <summary>
/// An OPAE operation failed. <see cref="Result"/> is the code the C API would have returned.
/// </summary>
public class OpaeException : Exception
{
    /// <summary>Creates an exception for <paramref name="result"/> with the library's generic text.</summary>
    public OpaeException(FpgaResult result)
        : this(result, result.Describe())
    {
    }

    /// <summary>Creates an exception for <paramref name="result"/> that says what happened and what to do.</summary>
    public OpaeException(FpgaResult result, string message)
        : base(message)
    {
        Result = result;
    }

    /// <summary>Creates an exception for <paramref name="result"/> caused by <paramref name="innerException"/>.</summary>
    public OpaeException(FpgaResult result, string message, Exception? innerException)
        : base(message, innerException)
    {
        Result = result;
    }

    /// <summary>Creates an exception with <see cref="FpgaResult.Exception"/>.</summary>
    public OpaeException()
        : this(FpgaResult.Exception)
    {
    }

    /// <summary>Creates an exception with <see cref="FpgaResult.Exception"/> and a message.</summary>
    public OpaeException(string message)
        : this(FpgaResult.Exception, message)
    {
    }

    /// <summary>Creates an exception with <see cref="FpgaResult.Exception"/>, a message and a cause.</summary>
    public OpaeException(string message, Exception innerException)
        : this(FpgaResult.Exception, message, innerException)
    {
    }

    /// <summary>The OPAE result code of the failure.</summary>
    public FpgaResult Result { get; }
}
