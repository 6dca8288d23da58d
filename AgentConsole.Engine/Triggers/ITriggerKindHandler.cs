using System.Text.Json.Nodes;

namespace AgentConsole.Engine.Triggers;

/// <summary>
/// What one kind of trigger adds to the common parts (inbox, filter, mapping, statistics): checking its settings,
/// a sample payload for "test this trigger", and what must happen when a trigger of the kind is saved or removed
/// (a schedule registers its recurring job, a poller its polling job). Registered in DI, one per kind.
/// </summary>
public interface ITriggerKindHandler
{
    TriggerKind Kind { get; }

    /// <summary>Whether the kind authenticates senders with a secret the console generates (shown once, rotatable).</summary>
    bool HasSigningSecret => false;

    /// <summary>The names of secrets a person enters for this kind (an IMAP password, a connection string).</summary>
    IReadOnlyList<string> SecretNames => [];

    /// <summary>The kind's settings (and secrets, typed <see cref="TriggerSettingType.Secret"/>) as the UI edits them.</summary>
    IReadOnlyList<TriggerSettingField> SettingFields => [];

    /// <summary>
    /// A short text the editor shows under the settings while a person types, e.g. a schedule's next occurrences;
    /// null when there is nothing to say or the settings are not valid yet.
    /// </summary>
    string? Preview(System.Text.Json.Nodes.JsonObject settings) => null;

    /// <summary>
    /// Checks (and may normalise) the kind's settings and secrets; adds errors keyed <c>settings.{name}</c> or
    /// <c>secrets.{name}</c>. <paramref name="secrets"/> holds the secrets the trigger will have after the change.
    /// </summary>
    void Validate(JsonObject settings, IReadOnlyDictionary<string, string> secrets, IDictionary<string, string[]> errors);

    /// <summary>A payload shaped like this kind's real events, for the UI's "test this trigger".</summary>
    JsonObject SamplePayload(Trigger trigger);

    /// <summary>Called after a trigger of this kind was created, changed, enabled, disabled or deleted (<paramref name="deleted"/>).</summary>
    Task AppliedAsync(Trigger trigger, bool deleted, CancellationToken ct) => Task.CompletedTask;
}
