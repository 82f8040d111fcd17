using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OpaeSharp.Cli;

/// <summary>
/// Numeric options that refuse what is not a number in their range as a usage error naming the
/// option and the range. (A validator alone would run after a failed conversion and throw.)
/// </summary>
internal static class RangeOptions
{
    /// <summary>A number of seconds more than 0 and at most <paramref name="max"/>: no negative, zero, NaN or infinite waits.</summary>
    internal static Option<double> Seconds(string name, string description, double defaultValue, double max) => new(name)
    {
        Description = $"{description} (more than 0, at most {max.ToString(CultureInfo.InvariantCulture)})",
        HelpName = "seconds",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }

            var text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= max)
            {
                return seconds;
            }

            result.AddError($"{name} '{text}' is not a number of seconds more than 0 and at most {max.ToString(CultureInfo.InvariantCulture)}, e.g. {defaultValue.ToString(CultureInfo.InvariantCulture)}");
            return defaultValue;
        },
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    internal static Option<int> Count(string name, string description, int defaultValue, int min, int max, string unit) => new(name)
    {
        Description = description,
        HelpName = "count",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue;
            }

            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= min && count <= max)
            {
                return count;
            }

            result.AddError($"{name} '{text}' is not a whole number from {min} to {max} ({unit})");
            return defaultValue;
        },
    };
}
