using Spectre.Console;
using Spectre.Console.Rendering;

namespace OpaeSharp.Cli.Output;

/// <summary>
/// A table that stays readable in any width: drawn as a table when every cell fits on one line,
/// else as one block of <c>Key: value</c> lines per row, wrapped by <see cref="TextWrap"/> so that
/// no GUID, word or command is split. (A table squeezed narrower than its content would break
/// cells anywhere, even inside a GUID.)
/// </summary>
internal sealed class CliTable(params string[] headers)
{
    private readonly List<IReadOnlyList<CliCell>> _rows = [];

    internal CliTable AddRow(params CliCell[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row has {cells.Length} cells for {headers.Length} columns", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    internal void Write(CliContext context)
    {
        var table = new Table();
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).NoWrap());
        }

        foreach (var row in _rows)
        {
            table.AddRow([.. row.Select(c => new Markup(c.Style is null ? Markup.Escape(c.Text) : $"[{c.Style}]{Markup.Escape(c.Text)}[/]"))]);
        }

        var width = context.Console.Profile.Width;
        if (((IRenderable)table).Measure(RenderOptions.Create(context.Console, context.Console.Profile.Capabilities), int.MaxValue).Max <= width)
        {
            context.Console.Write(table);
            return;
        }

        // A blank line after each block sets it apart from the next and from what follows the table.
        var keyWidth = headers.Max(h => h.Length) + 2;
        for (var r = 0; r < _rows.Count; r++)
        {
            for (var c = 0; c < headers.Length; c++)
            {
                if (_rows[r][c].Text.Length == 0)
                {
                    continue;
                }

                var lines = TextWrap.Wrap(_rows[r][c].Text, width, keyWidth, keyWidth);
                lines[0] = ((headers[c] + ":").PadRight(keyWidth) + lines[0]).TrimEnd();
                foreach (var line in lines)
                {
                    context.WriteLine(line);
                }
            }

            context.WriteLine("");
        }
    }
}
