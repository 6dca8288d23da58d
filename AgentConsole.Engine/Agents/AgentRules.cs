using System.Text.RegularExpressions;

namespace AgentConsole.Engine.Agents;

/// <summary>The bounds an agent definition must respect, and the validator that applies them.</summary>
public static partial class AgentRules
{
    public const int KeyMinLength = 2;
    public const int KeyMaxLength = 64;
    public const int NameMaxLength = 100;
    public const int PurposeMaxLength = 10_000;
    public const int ModelMaxLength = 100;

    public const int DefaultMaxSteps = 15;
    public const int MinMaxSteps = 1;
    public const int MaxMaxSteps = 50;

    public const decimal DefaultBudgetPerRunUsd = 2.00m;
    public const decimal MinBudgetPerRunUsd = 0.01m;
    public const decimal MaxBudgetPerRunUsd = 100m;

    public const int DefaultWallClockLimitSeconds = 300;
    public const int MinWallClockLimitSeconds = 10;
    public const int MaxWallClockLimitSeconds = 86_400;

    public const double MinPublishThreshold = 0.5;
    public const double MaxPublishThreshold = 1.0;

    public const int MaxInputFields = 50;
    public const int InputFieldNameMaxLength = 64;
    public const int MaxTools = 30;

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNamePattern();

    [GeneratedRegex("^[A-Za-z0-9._:/-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelPattern();

    /// <summary>Validates a definition; error keys are the camelCase property paths the API and the form use.</summary>
    /// <param name="maxRedactionPatterns">The configured <c>AgentConsole:Redaction:MaxCustomPatterns</c>.</param>
    public static Dictionary<string, string[]> Validate(AgentDefinition d, int maxRedactionPatterns = Runs.Redaction.RedactionOptions.DefaultMaxCustomPatterns)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var key = d.Key?.Trim() ?? "";
        if (key.Length == 0)
        {
            Add("key", "Key is required.");
        }
        else if (key.Length is < KeyMinLength or > KeyMaxLength)
        {
            Add("key", $"Key must be {KeyMinLength} to {KeyMaxLength} characters.");
        }
        else if (!KeyPattern().IsMatch(key))
        {
            Add("key", "Key may contain only lower-case letters, digits and single hyphens between them (for example 'lead-router').");
        }

        var name = d.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            Add("name", "Name is required.");
        }
        else if (name.Length > NameMaxLength)
        {
            Add("name", $"Name must be at most {NameMaxLength} characters.");
        }

        if ((d.Purpose?.Length ?? 0) > PurposeMaxLength)
        {
            Add("purpose", $"Purpose must be at most {PurposeMaxLength:N0} characters.");
        }

        if (!Enum.IsDefined(d.Status))
        {
            Add("status", $"Status must be one of {string.Join(", ", Enum.GetNames<AgentStatus>())}.");
        }

        if (!Enum.IsDefined(d.AutonomyLevel))
        {
            Add("autonomyLevel", $"Autonomy level must be one of {string.Join(", ", Enum.GetNames<AutonomyLevel>())}.");
        }

        if (d.MaxSteps is < MinMaxSteps or > MaxMaxSteps)
        {
            Add("maxSteps", $"Max steps must be between {MinMaxSteps} and {MaxMaxSteps} (default {DefaultMaxSteps}).");
        }

        if (d.BudgetPerRunUsd < MinBudgetPerRunUsd || d.BudgetPerRunUsd > MaxBudgetPerRunUsd)
        {
            Add("budgetPerRunUsd", $"Budget per run must be between ${MinBudgetPerRunUsd:0.00} and ${MaxBudgetPerRunUsd:0.00} (default ${DefaultBudgetPerRunUsd:0.00}).");
        }

        if (d.WallClockLimitSeconds is < MinWallClockLimitSeconds or > MaxWallClockLimitSeconds)
        {
            Add("wallClockLimitSeconds", $"Wall-clock limit must be between {MinWallClockLimitSeconds} seconds and 24 hours ({MaxWallClockLimitSeconds:N0} seconds).");
        }

        if (double.IsNaN(d.PublishThreshold) || d.PublishThreshold is < MinPublishThreshold or > MaxPublishThreshold)
        {
            Add("publishThreshold", $"The publish threshold is a pass rate between {MinPublishThreshold:P0} and {MaxPublishThreshold:P0} (default {Agent.DefaultPublishThreshold:P0}).");
        }

        if (!string.IsNullOrWhiteSpace(d.Model))
        {
            var model = d.Model.Trim();
            if (model.Length > ModelMaxLength || !ModelPattern().IsMatch(model))
            {
                Add("model", $"Model must be at most {ModelMaxLength} characters of letters, digits and . _ : / -.");
            }
        }

        var fields = d.InputFields ?? [];
        if (fields.Count > MaxInputFields)
        {
            Add("inputFields", $"An agent may declare at most {MaxInputFields} input fields.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var path = $"inputFields[{i}]";
            if (field is null)
            {
                Add(path, "Input field is empty.");
                continue;
            }

            var fieldName = field.Name?.Trim() ?? "";
            if (fieldName.Length == 0)
            {
                Add($"{path}.name", "Field name is required.");
            }
            else if (fieldName.Length > InputFieldNameMaxLength || !FieldNamePattern().IsMatch(fieldName))
            {
                Add($"{path}.name", $"Field name '{fieldName}' must start with a letter or _ and contain only letters, digits and _ (at most {InputFieldNameMaxLength}).");
            }
            else if (!seen.Add(fieldName))
            {
                Add($"{path}.name", $"Field name '{fieldName}' is declared twice.");
            }

            if (!Enum.IsDefined(field.Type))
            {
                Add($"{path}.type", $"Field type must be one of {string.Join(", ", Enum.GetNames<InputFieldType>())}.");
            }

            if ((field.Description?.Length ?? 0) > 500)
            {
                Add($"{path}.description", "Field description must be at most 500 characters.");
            }
        }

        // Which keys exist is the tool registry's to say (AgentCatalog checks it); here only what needs no registry.
        var tools = d.Tools ?? [];
        if (tools.Count > MaxTools)
        {
            Add("tools", $"An agent may be granted at most {MaxTools} tools; more than 15 means it does too much: split it.");
        }

        var routes = d.EngineRoutes ?? [];
        for (var i = 0; i < routes.Count; i++)
        {
            if (routes[i] is null || string.IsNullOrWhiteSpace(routes[i].Decision))
            {
                Add($"engineRoutes[{i}].decision", "An engine route names the decision whose output it checks.");
            }
            else if (string.IsNullOrEmpty(routes[i].Value))
            {
                Add($"engineRoutes[{i}].value", "An engine route needs the output value that escalates, e.g. \"Human review\".");
            }
        }

        Escalations.EscalationPolicyRules.Validate(d.Escalation, d.Tools ?? [], Add);

        var patterns = d.RedactionPatterns ?? [];
        if (patterns.Count > maxRedactionPatterns)
        {
            // Every pattern scans every text the agent's runs send to a model; the count bounds that work.
            Add("redactionPatterns", $"At most {maxRedactionPatterns} redaction patterns per agent; this one has {patterns.Count}.");
        }

        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i] is null)
            {
                Add($"redactionPatterns[{i}]", "Redaction pattern is empty.");
                continue;
            }

            var patternName = patterns[i].Name?.Trim() ?? "";
            if (Runs.Redaction.Redactor.ValidateName(patternName) is { } nameProblem)
            {
                Add($"redactionPatterns[{i}].name", nameProblem);
            }

            if (Runs.Redaction.Redactor.ValidateRegex(patternName.Length == 0 ? $"#{i + 1}" : patternName, patterns[i].Pattern ?? "") is { } patternProblem)
            {
                Add($"redactionPatterns[{i}].pattern", patternProblem);
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    public static string Describe(AutonomyLevel level) => level switch
    {
        AutonomyLevel.ReadOnlyResearch => "Read-only research",
        AutonomyLevel.InternalNotifications => "Internal notifications",
        AutonomyLevel.InternalRecordUpdates => "Internal record updates",
        AutonomyLevel.ExternalLowStakes => "External low-stakes",
        AutonomyLevel.ExternalHighStakesWithReview => "External high-stakes with review",
        AutonomyLevel.FullyAutonomous => "Fully autonomous",
        _ => level.ToString(),
    };
}
