namespace OpaeSharp.VmTests;

/// <summary>
/// Prints one line per check on the serial console, in the form tests/vm/run.sh counts:
/// <c>RESULT PASS|FAIL|SKIP name: detail</c>.
/// </summary>
internal sealed class Report
{
    internal int Passed { get; private set; }

    internal int Failed { get; private set; }

    /// <summary>Runs <paramref name="check"/>: it returns what it saw on success and throws <see cref="CheckFailedException"/> (or anything else) on failure.</summary>
    internal void Run(string name, Func<string> check)
    {
        try
        {
            Line("PASS", name, check());
            Passed++;
        }
        catch (CheckFailedException e)
        {
            Line("FAIL", name, e.Message);
            Failed++;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Line("FAIL", name, $"{e.GetType().Name}: {e.Message}");
            Failed++;
        }
    }

    private static void Line(string verdict, string name, string detail)
    {
        // One line each: a detail with a line break would split the verdict the harness reads.
        Console.Out.WriteLine($"RESULT {verdict} {name}: {detail.ReplaceLineEndings(" | ")}");
        Console.Out.Flush();
    }
}
