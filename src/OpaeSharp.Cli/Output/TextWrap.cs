namespace OpaeSharp.Cli.Output;

/// <summary>
/// Wraps text at spaces into lines of a width, never inside a word (a GUID, a path), a quoted
/// span (<c>'ulimit -l'</c>) or a command someone will copy (<c>echo N | sudo tee /sys/…</c>,
/// <c>modprobe dfl-pci</c>). A unit wider than the line gets a line of its own, at a smaller
/// indent if that makes it fit, and is otherwise left long: the terminal folds it, but no line
/// break is put inside it.
/// </summary>
internal static class TextWrap
{
    /// <summary>The indent a unit that does not fit at the hanging indent falls back to.</summary>
    internal const int FallbackIndent = 4;

    // Words that start a shell command in our messages and the library's; the command runs to a
    // closing parenthesis, ';' or ',', a sentence's full stop, an opening parenthesis, or the end.
    private static readonly HashSet<string> s_commands = new(StringComparer.Ordinal)
    {
        "echo", "sudo", "modprobe", "ulimit", "sysctl", "opae", "fpgaconf", "fpgainfo", "lspci",
    };

    /// <summary>
    /// <paramref name="text"/> as lines of at most <paramref name="width"/> columns where the units
    /// allow: the first starts after <paramref name="firstIndent"/> columns (which the caller fills,
    /// e.g. with a key), the others are indented by <paramref name="hangingIndent"/> spaces.
    /// </summary>
    internal static List<string> Wrap(string text, int width, int firstIndent = 0, int hangingIndent = 0)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        var column = firstIndent;
        var empty = true;
        foreach (var unit in Units(text))
        {
            if (!empty && column + 1 + unit.Length <= width)
            {
                line.Append(' ').Append(unit);
                column += 1 + unit.Length;
                continue;
            }

            // The first unit stays beside what precedes it (a key) if it fits, or if no new line would give it more room.
            if (empty && (column + unit.Length <= width || column <= Math.Min(hangingIndent, FallbackIndent)))
            {
                line.Append(unit);
                column += unit.Length;
                empty = false;
                continue;
            }

            // A new line: at the hanging indent, or further left when the unit fits only there.
            lines.Add(line.ToString());
            var indent = hangingIndent + unit.Length > width ? Math.Min(hangingIndent, FallbackIndent) : hangingIndent;
            line.Clear().Append(' ', indent).Append(unit);
            column = indent + unit.Length;
            empty = false;
        }

        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>The unbreakable units of <paramref name="text"/>: words, quoted spans and commands.</summary>
    internal static List<string> Units(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var units = new List<string>();
        for (var i = 0; i < words.Length; i++)
        {
            var end = i;
            var word = words[i].TrimStart('(');
            if (word.Length > 0 && word[0] is '\'' or '`')
            {
                // To the word that closes the quote (the first may close it itself: 'opae').
                while (end < words.Length - 1 && !Closes(words[end], word[0], end == i))
                {
                    end++;
                }
            }
            else if (s_commands.Contains(word))
            {
                while (end < words.Length - 1 && !EndsCommand(words[end]) && !words[end + 1].StartsWith('('))
                {
                    end++;
                }
            }

            units.Add(string.Join(' ', words, i, end - i + 1));
            i = end;
        }

        return units;
    }

    private static bool Closes(string word, char quote, bool first)
    {
        var trimmed = word.TrimEnd(')', ',', '.', ';', ':');
        return trimmed.Length > (first ? 1 : 0) && trimmed[^1] == quote;
    }

    // No path or argument ends in '.', so a final one is the sentence's.
    private static bool EndsCommand(string word) => word[^1] is ')' or ';' or ',' or '.';
}
