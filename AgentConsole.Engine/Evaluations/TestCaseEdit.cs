namespace AgentConsole.Engine.Evaluations;

/// <summary>
/// A case as an owner writes it (the editor, the API, an imported line). JSON values are text so that what does not
/// parse gets a message at its field instead of failing before validation.
/// </summary>
public sealed class TestCaseEdit
{
    public string? Name { get; set; }
    public TestCaseKind Kind { get; set; } = TestCaseKind.Synthetic;

    /// <summary>The trigger input: a JSON object.</summary>
    public string? InputJson { get; set; }

    /// <summary>Expected decision results by decision key: a JSON object, or empty for none.</summary>
    public string? ExpectedDecisionsJson { get; set; }

    public List<string> MustCall { get; set; } = [];
    public List<string> MustNotCall { get; set; } = [];
    public bool? MustEscalate { get; set; }
    public bool ExpectRejected { get; set; }
    public List<string> OutputContains { get; set; } = [];
    public string? Notes { get; set; }
    public Guid? SourceRunId { get; set; }

    public static TestCaseEdit From(TestCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        return new()
        {
            Name = testCase.Name,
            Kind = testCase.Kind,
            InputJson = testCase.InputJson,
            ExpectedDecisionsJson = testCase.ExpectedDecisionsJson,
            MustCall = [.. testCase.MustCall],
            MustNotCall = [.. testCase.MustNotCall],
            MustEscalate = testCase.MustEscalate,
            ExpectRejected = testCase.ExpectRejected,
            OutputContains = [.. testCase.OutputContains],
            Notes = testCase.Notes,
            SourceRunId = testCase.SourceRunId,
        };
    }
}
