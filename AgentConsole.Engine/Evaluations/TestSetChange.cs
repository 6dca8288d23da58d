namespace AgentConsole.Engine.Evaluations;

/// <summary>What a change to a set or a case did; <see cref="Errors"/> is keyed by field (<c>case.input</c>) when Invalid.</summary>
public sealed record TestSetChange(TestSetChangeOutcome Outcome, string Message, IReadOnlyDictionary<string, string[]> Errors,
    TestSet? Set = null, TestCase? Case = null)
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    public bool Succeeded => Outcome == TestSetChangeOutcome.Done;

    public static TestSetChange Done(string message, TestSet? set = null, TestCase? testCase = null) => new(TestSetChangeOutcome.Done, message, NoErrors, set, testCase);

    public static TestSetChange Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(TestSetChangeOutcome.Invalid, "Please correct: " + string.Join(" ", errors.SelectMany(e => e.Value)), errors);

    public static TestSetChange NotFound(string message) => new(TestSetChangeOutcome.NotFound, message, NoErrors);

    public static TestSetChange Conflict(string message) => new(TestSetChangeOutcome.Conflict, message, NoErrors);
}
