using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Audit;
using Microsoft.Extensions.AI;

namespace AgentConsole.Engine.Runs.Redaction;

/// <summary>
/// The one door between a run's text and storage: every title, detail, reason, output, escalation and audit entry the
/// engine writes about a run goes through here, so the database, the API, the pages and the audit log only ever hold
/// placeholders. The real values stay in the run's input, conversation and tool journal, where tools need them.
/// </summary>
/// <remarks>
/// The names of console actors (who started, cancelled or reviewed the run) are accounts of this console, not data
/// of the run; they stay readable so the timeline still says who did what. Safe to use from several threads.
/// </remarks>
public sealed class RunRedaction
{
    /// <summary>Stored instead of a text that redaction could not finish scanning: failing closed, never the raw text.</summary>
    public const string Withheld = "[withheld: redaction could not finish scanning this text]";

    private readonly Lock _gate = new();
    private string[] _actors;

    public RunRedaction(RedactionVault vault, params IEnumerable<string?> actors)
    {
        ArgumentNullException.ThrowIfNull(vault);
        Vault = vault;
        _actors = [.. actors.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The run's placeholders; save <see cref="RedactionVault.ToJson"/> when new ones may have been issued.</summary>
    public RedactionVault Vault { get; }

    /// <summary>
    /// The run's redaction for a writer outside an execution (a reviewer, a cancel, a failure recorded after an error).
    /// An unreadable saved vault gives a fresh one: its placeholders are new, but no value goes out in the clear.
    /// </summary>
    public static RunRedaction Load(Redactors redactors, Run run, IReadOnlyCollection<AgentRedactionPattern>? patterns, params IEnumerable<string?> actors)
    {
        ArgumentNullException.ThrowIfNull(redactors);
        ArgumentNullException.ThrowIfNull(run);
        var redactor = redactors.For(patterns);
        RedactionVault vault;
        try
        {
            vault = RedactionVault.FromJson(redactor, run.RedactionJson);
        }
        catch (JsonException)
        {
            vault = new RedactionVault(redactor);
        }

        return new RunRedaction(vault, [run.CreatedBy, run.CancelRequestedBy, .. actors]);
    }

    /// <summary>Keeps an actor's name readable in later texts (e.g. who asked to cancel, read after the run loaded).</summary>
    public void Keep(string? actor)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            return;
        }

        lock (_gate)
        {
            if (!_actors.Contains(actor, StringComparer.Ordinal))
            {
                _actors = [.. _actors, actor];
            }
        }
    }

    /// <summary>The text with every sensitive value replaced by the run's placeholder for it.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var actors = _actors;
        var sb = (StringBuilder?)null;
        var position = 0;
        while (true)
        {
            var (at, actor) = NextActor(text, position, actors);
            if (actor is null)
            {
                break;
            }

            sb ??= new StringBuilder(text.Length);
            sb.Append(Scan(text[position..at])).Append(actor);
            position = at + actor.Length;
        }

        return sb is null ? Scan(text) : sb.Append(Scan(text[position..])).ToString();
    }

    /// <summary>A redacted deep copy.</summary>
    public JsonNode? Json(JsonNode? node)
    {
        try
        {
            return Vault.Redact(node);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return node is null ? null : JsonValue.Create(Withheld);
        }
    }

    /// <summary>A step's detail as redacted JSON: an object is serialised first, a string is taken as JSON already.</summary>
    public string? Detail(object? detail)
    {
        var node = detail switch
        {
            null => null,
            string json => JsonNode.Parse(json),
            JsonNode given => given,
            _ => JsonSerializer.SerializeToNode(detail, AIJsonUtilities.DefaultOptions),
        };
        return node is null ? (detail is null ? null : "null") : Json(node)!.ToJsonString(AIJsonUtilities.DefaultOptions);
    }

    /// <summary>The audit entry with its summary and payload redacted (the actor is the console's, and stays).</summary>
    public AuditEntry Audit(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var payload = entry.Payload switch
        {
            null => null,
            JsonNode node => Json(node),
            var other => Json(JsonSerializer.SerializeToNode(other, AuditLog.PayloadJson)),
        };
        return entry with { Summary = Text(entry.Summary), Payload = payload };
    }

    private string Scan(string text)
    {
        try
        {
            return Vault.Redact(text);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // A step or reason that cannot be scanned is stored without its text; the run still records that it happened.
            return Withheld;
        }
    }

    private static (int At, string? Actor) NextActor(string text, int from, string[] actors)
    {
        var best = (At: -1, Actor: (string?)null);
        foreach (var actor in actors)
        {
            var at = text.IndexOf(actor, from, StringComparison.Ordinal);
            // Only the whole name: inside a longer value ("diana@corp.example" holds the actor "ana@corp.example") it
            // would keep part of that value out of the scan, and the rest no longer looks like what it is.
            while (at >= 0 && !StandsAlone(text, at, actor.Length))
            {
                at = text.IndexOf(actor, at + 1, StringComparison.Ordinal);
            }

            if (at >= 0 && (best.Actor is null || at < best.At || (at == best.At && actor.Length > best.Actor.Length)))
            {
                best = (at, actor);
            }
        }

        return best;
    }

    private static bool StandsAlone(string text, int at, int length)
    {
        var end = at + length;
        var before = at > 0 && IsValueChar(text[at - 1]);
        // A full stop ends a sentence ("Cancelled by ana@corp.example."); followed by a letter or digit it goes on.
        var after = end < text.Length && ((IsValueChar(text[end]) && text[end] != '.') || (text[end] == '.' && end + 1 < text.Length && char.IsLetterOrDigit(text[end + 1])));
        return !before && !after;
    }

    private static bool IsValueChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '%' or '@';
}
