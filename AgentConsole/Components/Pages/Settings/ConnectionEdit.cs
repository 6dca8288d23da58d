using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Tools;

namespace AgentConsole.Components.Pages.Settings;

/// <summary>
/// One connection as the Connections panel edits it. Secret values typed here are sent once and then forgotten;
/// the panel only ever learns which secrets are set.
/// </summary>
internal sealed class ConnectionEdit
{
    public ConnectionEdit(ConnectionView view)
    {
        View = view;
        Mode = view.Mode;
        SettingsJson = view.Settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        SimulatedFailure = view.SimulatedFailure;
        Secrets = [.. view.SecretsSet.Select(name => new SecretEdit { Name = name, IsSet = true })];
    }

    public ConnectionView View { get; private set; }
    public ConnectionMode Mode { get; set; }
    public string SettingsJson { get; set; }
    public SimulatedFailure SimulatedFailure { get; set; }
    public List<SecretEdit> Secrets { get; }
    public string NewSecretName { get; set; } = "";
    public string NewSecretValue { get; set; } = "";
    public ConnectionHealth? Health { get; set; }
    public bool Checking { get; set; }
    public bool Saving { get; set; }
    public string? Problem { get; set; }
    public bool Conflict { get; set; }
    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    /// <summary>Null when the settings are a JSON object; otherwise what is wrong with them.</summary>
    public string? SettingsError => ParseSettings(SettingsJson, out _);

    public static string? ParseSettings(string json, out JsonObject settings)
    {
        settings = [];
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(json) is JsonObject parsed)
            {
                settings = parsed;
                return null;
            }

            return "Settings are a JSON object, such as { \"baseUrl\": \"https://crm.example.com\" }.";
        }
        catch (JsonException ex)
        {
            return $"Not valid JSON: {ex.Message}";
        }
    }

    /// <summary>The update to send, or null with <see cref="Errors"/> set when the form is not valid.</summary>
    public ConnectionUpdate? ToUpdate()
    {
        var errors = new Dictionary<string, string[]>();
        if (ParseSettings(SettingsJson, out var settings) is { } settingsError)
        {
            errors["settings"] = [settingsError];
        }

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in Secrets)
        {
            if (secret.Clear)
            {
                secrets[secret.Name] = "";
            }
            else if (!string.IsNullOrEmpty(secret.NewValue))
            {
                secrets[secret.Name] = secret.NewValue;
            }
        }

        var name = NewSecretName.Trim();
        if (name.Length > 0 || NewSecretValue.Length > 0)
        {
            if (name.Length == 0 || name.Length > 64)
            {
                errors["newSecretName"] = ["A secret needs a name of 1–64 characters."];
            }
            else if (NewSecretValue.Length == 0)
            {
                errors["newSecretValue"] = ["Enter the secret's value (it will not be shown again)."];
            }
            else if (Secrets.Exists(s => s.Name == name))
            {
                errors["newSecretName"] = [$"'{name}' is already set; enter a new value in its row instead."];
            }
            else
            {
                secrets[name] = NewSecretValue;
            }
        }

        Errors = errors;
        if (errors.Count > 0)
        {
            return null;
        }

        // A simulated failure exists to rehearse outages in the sandbox; live connections never fail on purpose.
        var failure = Mode == ConnectionMode.Live ? SimulatedFailure.None : SimulatedFailure;
        return new ConnectionUpdate(Mode, settings, secrets, failure, View.Revision);
    }

    /// <summary>After a save: show what is stored and drop every secret value typed.</summary>
    public void Saved(ConnectionView view)
    {
        View = view;
        Mode = view.Mode;
        SettingsJson = view.Settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        SimulatedFailure = view.SimulatedFailure;
        Secrets.Clear();
        Secrets.AddRange(view.SecretsSet.Select(n => new SecretEdit { Name = n, IsSet = true }));
        NewSecretName = "";
        NewSecretValue = "";
        Errors = new Dictionary<string, string[]>();
        Problem = null;
        Conflict = false;
    }
}

/// <summary>A stored secret's row: never its value, only a new value to set or the wish to clear it.</summary>
internal sealed class SecretEdit
{
    public string Name { get; init; } = "";
    public bool IsSet { get; init; }
    public string NewValue { get; set; } = "";
    public bool Clear { get; set; }
}
