namespace AgentConsole.Engine.Tools;

/// <summary>One failed attempt of a call, reported as it happens so it becomes a timeline entry and an audit event.</summary>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="Status">HTTP status or other code, if any.</param>
/// <param name="RetryIn">How long until the next attempt; null when no attempt follows.</param>
public sealed record ToolAttempt(int Attempt, string Error, int? Status, TimeSpan? RetryIn);
