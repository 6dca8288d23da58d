using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>
/// Redaction gave up on a text: a custom pattern timed out or all custom patterns together used up the scan budget.
/// The text was not fully scanned, so it must not go anywhere unredacted; a model call fails (and the run escalates).
/// </summary>
/// <remarks>A <see cref="RegexMatchTimeoutException"/>, so every caller that already failed closed on a timed-out scan keeps doing so.</remarks>
public sealed class RedactionScanException : RegexMatchTimeoutException
{
    public RedactionScanException()
    {
    }

    public RedactionScanException(string message)
        : base(message)
    {
    }

    public RedactionScanException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public RedactionScanException(string pattern, TimeSpan budget, Exception? inner)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Redaction pattern {pattern} could not finish scanning within the {budget.TotalMilliseconds:0} ms scan budget ({RedactionOptions.Section}:{nameof(RedactionOptions.ScanBudgetMilliseconds)}), so the text was withheld. Simplify the pattern or raise the budget."), inner!)
    {
        PatternName = pattern;
    }

    /// <summary>The custom pattern that was running when the scan stopped.</summary>
    public string? PatternName { get; }
}
