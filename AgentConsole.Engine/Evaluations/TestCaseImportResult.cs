namespace AgentConsole.Engine.Evaluations;

/// <summary>What an import did: all lines were applied (added and updated by name) or, on any error, none.</summary>
public sealed record TestCaseImportResult(TestSetChangeOutcome Outcome, int Added, int Updated, IReadOnlyList<TestCaseLineError> Errors, string Message)
{
    public bool Succeeded => Outcome == TestSetChangeOutcome.Done;

    public static TestCaseImportResult Refused(IReadOnlyList<TestCaseLineError> errors) => new(TestSetChangeOutcome.Invalid, 0, 0, errors,
        $"Nothing was imported: {errors.Count} line{(errors.Count == 1 ? " has an error" : "s have errors")}. " + string.Join(" ", errors.Take(5)));

    public static TestCaseImportResult NotFound(string message) => new(TestSetChangeOutcome.NotFound, 0, 0, [], message);
}
