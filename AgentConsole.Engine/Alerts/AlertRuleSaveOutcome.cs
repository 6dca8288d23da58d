namespace AgentConsole.Engine.Alerts;

public enum AlertRuleSaveOutcome
{
    Saved,
    Invalid,
    NotFound,
}
