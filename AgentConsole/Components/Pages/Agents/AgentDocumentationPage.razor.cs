using System.Globalization;
using AgentConsole.Engine.Agents.Documentation;
using AgentConsole.Engine.Escalations;
using Microsoft.AspNetCore.Components;

namespace AgentConsole.Components.Pages.Agents;

/// <summary>An agent's documentation, read from the same model the Markdown export renders.</summary>
public sealed partial class AgentDocumentationPage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private AgentDocument? _doc;
    private EscalationPolicy _policy = new();
    private bool _loading = true;

    [Parameter] public string Key { get; set; } = "";

    [Inject] private AgentDocumentation Documentation { get; set; } = default!;

    private string Subtitle => _doc is null ? "" : string.Create(Invariant,
        $"Key {_doc.Key} · revision {_doc.Revision} · updated {_doc.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {_doc.UpdatedBy} · generated {_doc.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        _doc = await Documentation.BuildAsync(Key);
        _policy = _doc?.Escalation ?? new();
        _loading = false;
    }

    private static string VersionText(DocumentedDecision decision) => decision.Version is not { } number
        ? "No version yet."
        : decision.Published
            ? string.Create(Invariant, $"Published version {number}{(decision.DraftVersion is { } draft ? $" (draft version {draft} in progress)" : "")}.")
            : string.Create(Invariant, $"Draft version {number}, not published: runs do not evaluate it.");
}
