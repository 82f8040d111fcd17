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
    internal static Option<double> Seconds(string name, string description, double defaultValue, double max) => Ranged(
        name,
        $"{description} (more than 0, at most {max.ToString(CultureInfo.InvariantCulture)})",
        "seconds",
        defaultValue,
        text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= max ? seconds : null,
        text => $"{name} '{text}' is not a number of seconds more than 0 and at most {max.ToString(CultureInfo.InvariantCulture)}, e.g. {defaultValue.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    internal static Option<int> Count(string name, string description, int defaultValue, int min, int max, string unit) => Ranged(
        name,
        description,
        "count",
        defaultValue,
        text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= min && count <= max ? count : null,
        text => $"{name} '{text}' is not a whole number from {min} to {max} ({unit})");

    /// <summary>An option whose one token <paramref name="parse"/> accepts (non-null) or that is a usage error saying <paramref name="refusal"/>.</summary>
    private static Option<T> Ranged<T>(string name, string description, string helpName, T defaultValue, Func<string, T?> parse, Func<string, string> refusal)
        where T : struct => new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return defaultValue;
                }

                var text = result.Tokens[0].Value;
                if (parse(text) is { } value)
                {
                    return value;
                }

                result.AddError(refusal(text));
                return defaultValue;
            },
        };
}
