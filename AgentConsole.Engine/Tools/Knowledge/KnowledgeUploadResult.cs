namespace AgentConsole.Engine.Tools.Knowledge;

/// <summary>What an upload did. <see cref="Message"/> is the sentence to show; <see cref="Errors"/> names the fields.</summary>
public sealed record KnowledgeUploadResult(
    KnowledgeUploadOutcome Outcome,
    KnowledgeDocumentView? Document,
    IReadOnlyDictionary<string, string[]> Errors,
    string? Message)
{
    public static KnowledgeUploadResult Saved(KnowledgeDocumentView document, string message) => new(KnowledgeUploadOutcome.Saved, document, new Dictionary<string, string[]>(), message);

    public static KnowledgeUploadResult Refused(KnowledgeUploadOutcome outcome, string field, string message) =>
        new(outcome, null, new Dictionary<string, string[]> { [field] = [message] }, message);
}
