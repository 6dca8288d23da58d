using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentConsole.Engine.Escalations;
using AgentConsole.Engine.Runs;
using MudBlazor;

namespace AgentConsole.Components.Pages.Runs;

/// <summary>How runs, steps and escalations look wherever they are shown, so the list and the detail page agree.</summary>
public static class RunDisplay
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Label(RunStatus status) => status switch
    {
        RunStatus.WaitingForHuman => "Waiting for human",
        RunStatus.StoppedByLimit => "Stopped by limit",
        RunStatus.HandledByHuman => "Handled by a person",
        _ => status.ToString(),
    };

    public static Color Color(RunStatus status) => status switch
    {
        RunStatus.Queued => MudBlazor.Color.Default,
        RunStatus.Running => MudBlazor.Color.Info,
        RunStatus.WaitingForHuman => MudBlazor.Color.Warning,
        RunStatus.Succeeded => MudBlazor.Color.Success,
        RunStatus.Failed => MudBlazor.Color.Error,
        RunStatus.Cancelled => MudBlazor.Color.Dark,
        RunStatus.StoppedByLimit => MudBlazor.Color.Tertiary,
        RunStatus.HandledByHuman => MudBlazor.Color.Primary,
        _ => MudBlazor.Color.Default,
    };

    public static string Icon(RunStatus status) => status switch
    {
        RunStatus.Queued => Icons.Material.Outlined.Schedule,
        RunStatus.Running => Icons.Material.Outlined.Autorenew,
        RunStatus.WaitingForHuman => Icons.Material.Outlined.PanTool,
        RunStatus.Succeeded => Icons.Material.Outlined.CheckCircle,
        RunStatus.Failed => Icons.Material.Outlined.ErrorOutline,
        RunStatus.Cancelled => Icons.Material.Outlined.Block,
        RunStatus.StoppedByLimit => Icons.Material.Outlined.Speed,
        RunStatus.HandledByHuman => Icons.Material.Outlined.SupportAgent,
        _ => Icons.Material.Outlined.Help,
    };

    public static Color Color(RunStepKind kind, bool isError) => isError ? MudBlazor.Color.Error : kind switch
    {
        RunStepKind.Trigger => MudBlazor.Color.Primary,
        RunStepKind.Status => MudBlazor.Color.Default,
        RunStepKind.Decision => MudBlazor.Color.Secondary,
        RunStepKind.ModelCall => MudBlazor.Color.Info,
        RunStepKind.ToolCall => MudBlazor.Color.Success,
        RunStepKind.Escalation => MudBlazor.Color.Warning,
        RunStepKind.Human => MudBlazor.Color.Primary,
        RunStepKind.Limit => MudBlazor.Color.Tertiary,
        RunStepKind.Output => MudBlazor.Color.Success,
        _ => MudBlazor.Color.Error,
    };

    public static string Icon(RunStepKind kind) => kind switch
    {
        RunStepKind.Trigger => Icons.Material.Outlined.Bolt,
        RunStepKind.Status => Icons.Material.Outlined.Flag,
        RunStepKind.Decision => Icons.Material.Outlined.TableChart,
        RunStepKind.ModelCall => Icons.Material.Outlined.Psychology,
        RunStepKind.ToolCall => Icons.Material.Outlined.Build,
        RunStepKind.Escalation => Icons.Material.Outlined.PanTool,
        RunStepKind.Human => Icons.Material.Outlined.Person,
        RunStepKind.Limit => Icons.Material.Outlined.Speed,
        RunStepKind.Output => Icons.Material.Outlined.Outbox,
        _ => Icons.Material.Outlined.ErrorOutline,
    };

    public static string Label(RunStepKind kind) => kind switch
    {
        RunStepKind.ModelCall => "Model call",
        RunStepKind.ToolCall => "Tool call",
        _ => kind.ToString(),
    };

    public static Color Color(EscalationStatus status) => status switch
    {
        EscalationStatus.Open => MudBlazor.Color.Warning,
        EscalationStatus.Approved => MudBlazor.Color.Success,
        EscalationStatus.Rejected => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Dark,
    };

    public static string Tokens(long input, long output, bool estimated) =>
        string.Create(CultureInfo.InvariantCulture, $"{(estimated ? "≈" : "")}{input:N0} / {output:N0}");

    /// <summary>Model calls cost fractions of a cent, so whole cents would show most runs as free.</summary>
    public static string Cost(decimal usd) => usd == 0 ? "$0" : "$" + usd.ToString(usd < 0.01m ? "0.000000" : "0.0000", CultureInfo.InvariantCulture);

    public static string Duration(long milliseconds) => milliseconds switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:0.0} s"),
        < 3_600_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 60_000} min {milliseconds / 1000 % 60} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 3_600_000} h {milliseconds / 60_000 % 60} min"),
    };

    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var ago = now - at;
        return ago.TotalSeconds switch
        {
            < 0 => "just now",
            < 45 => "just now",
            < 90 => "1 min ago",
            < 3_600 => $"{(int)ago.TotalMinutes} min ago",
            < 7_200 => "1 h ago",
            < 86_400 => $"{(int)ago.TotalHours} h ago",
            < 172_800 => "yesterday",
            _ => $"{(int)ago.TotalDays} days ago",
        };
    }

    public static string Truncate(string? text, int length) =>
        text is null ? "" : text.Length <= length ? text : text[..(length - 1)] + "…";

    /// <summary>Indented JSON for people; text that is not JSON is shown as it is.</summary>
    public static string PrettyJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "";
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, Pretty);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    public static string PrettyJson(JsonElement element) => JsonSerializer.Serialize(element, Pretty);

    public static string Label(RunKind kind) => kind switch
    {
        RunKind.Production => "Production runs",
        RunKind.Evaluation => "Evaluation runs",
        RunKind.Replay => "What-if replays",
        RunKind.Trial => "Try-it runs",
        _ => kind.ToString(),
    };
}
