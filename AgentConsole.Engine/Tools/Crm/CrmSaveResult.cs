namespace AgentConsole.Engine.Tools.Crm;

/// <summary>The outcome of a person's edit: saved, or the messages to show beside the fields.</summary>
public sealed record CrmSaveResult(bool Saved, IReadOnlyDictionary<string, string> Errors, int? Id = null)
{
    public static CrmSaveResult Ok(int id) => new(true, new Dictionary<string, string>(), id);

    public static CrmSaveResult Invalid(IReadOnlyDictionary<string, string> errors) => new(false, errors);

    public static CrmSaveResult Invalid(string field, string message) => new(false, new Dictionary<string, string> { [field] = message });
}
