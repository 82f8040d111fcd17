namespace OpaeSharp.Cli.Output;

/// <summary>A table cell: plain text, and the Spectre style it is drawn in when the table is drawn as one ("green", "bold").</summary>
internal readonly record struct CliCell(string Text, string? Style = null)
{
    public static implicit operator CliCell(string text) => new(text);
}
