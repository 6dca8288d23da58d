namespace AgentConsole.Access;

public sealed record AntiforgeryTokenResponse(string HeaderName, string Token);
