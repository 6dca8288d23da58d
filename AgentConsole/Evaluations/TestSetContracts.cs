using System.Text.Json.Nodes;
using AgentConsole.Engine.Evaluations;

namespace AgentConsole.Evaluations;

/// <summary>A test set's name and description, to create or rename it.</summary>
public sealed record TestSetRequest(string? Name, string? Description = null);

/// <summary>
/// A case as the API takes it: <c>input</c> the trigger input (a JSON object); <c>expectedDecisions</c> decision key →
/// expected result; <c>kind</c> Synthetic (default), Edge, Adversarial or Historical; <c>mustEscalate</c> null = not checked.
/// </summary>
public sealed record TestCaseRequest(
    string? Name,
    string? Kind = null,
    JsonNode? Input = null,
    JsonNode? ExpectedDecisions = null,
    IReadOnlyList<string>? MustCall = null,
    IReadOnlyList<string>? MustNotCall = null,
    bool? MustEscalate = null,
    bool? ExpectRejected = null,
    IReadOnlyList<string>? OutputContains = null,
    string? Notes = null,
    Guid? SourceRunId = null)
{
    /// <summary>The edit, or the message for a kind that is none (the other fields are the engine's to check).</summary>
    public TestCaseEdit ToEdit(out string? kindError)
    {
        kindError = null;
        var kind = TestCaseKind.Synthetic;
        if (!string.IsNullOrWhiteSpace(Kind) && !(Enum.TryParse(Kind.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(Kind, out _)))
        {
            kindError = $"'{Kind}' is not a kind of case; the kinds are {string.Join(", ", Enum.GetNames<TestCaseKind>())}.";
        }

        return new TestCaseEdit
        {
            Name = Name,
            Kind = kind,
            InputJson = Input?.ToJsonString(),
            ExpectedDecisionsJson = ExpectedDecisions?.ToJsonString(),
            MustCall = [.. MustCall ?? []],
            MustNotCall = [.. MustNotCall ?? []],
            MustEscalate = MustEscalate,
            ExpectRejected = ExpectRejected ?? false,
            OutputContains = [.. OutputContains ?? []],
            Notes = Notes,
            SourceRunId = SourceRunId,
        };
    }

    public static TestCaseRequest From(TestCaseEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return new(edit.Name, edit.Kind.ToString(), Parse(edit.InputJson), Parse(edit.ExpectedDecisionsJson), edit.MustCall, edit.MustNotCall,
            edit.MustEscalate, edit.ExpectRejected, edit.OutputContains, edit.Notes, edit.SourceRunId);
    }

    private static JsonNode? Parse(string? json) => string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json);
}

public sealed record TestSetResponse(Guid Id, string Agent, string Name, string? Description, bool IsDefault, int Cases, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static TestSetResponse From(TestSetSummary s) => new(s.Id, s.AgentKey, s.Name, s.Description, s.IsDefault, s.Cases, s.UpdatedAt, s.UpdatedBy);
}

public sealed record TestCaseResponse(
    Guid Id, int Sequence, string Name, TestCaseKind Kind, JsonNode? Input, JsonNode? ExpectedDecisions, IReadOnlyList<string> MustCall,
    IReadOnlyList<string> MustNotCall, bool? MustEscalate, bool ExpectRejected, IReadOnlyList<string> OutputContains, string? Notes, Guid? SourceRunId,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt)
{
    public static TestCaseResponse From(TestCase c) => new(c.Id, c.Sequence, c.Name, c.Kind, JsonNode.Parse(c.InputJson),
        c.ExpectedDecisionsJson is null ? null : JsonNode.Parse(c.ExpectedDecisionsJson), c.MustCall, c.MustNotCall, c.MustEscalate, c.ExpectRejected,
        c.OutputContains, c.Notes, c.SourceRunId, c.CreatedAt, c.CreatedBy, c.UpdatedAt);
}

/// <summary>A set with one page of its cases (<c>total</c> counts the cases of the requested kind).</summary>
public sealed record TestSetDetailResponse(TestSetResponse Set, IReadOnlyList<TestCaseResponse> Cases, int Total, int Offset, int Limit);

public sealed record TestCaseImportResponse(int Added, int Updated, string Message);

/// <summary>A case prefilled from a run, in the shape <c>POST /api/v1/test-sets/{id}/cases</c> takes; <c>defaultTestSet</c> is where it would go.</summary>
public sealed record TestCaseDraftResponse(string Agent, Guid? DefaultTestSet, string Message, TestCaseRequest Case);
