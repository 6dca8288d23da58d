namespace AgentConsole.Engine.Tools.Http;

/// <summary>One page of the sandbox request log, newest first, with the total for the pager.</summary>
public sealed record HttpSandboxPage(int Total, IReadOnlyList<HttpSandboxRequest> Items);
