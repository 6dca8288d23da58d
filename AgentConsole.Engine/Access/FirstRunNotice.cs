namespace AgentConsole.Engine.Access;

/// <summary>
/// Credentials the console generated on first start. They go to standard output exactly once
/// and deliberately bypass ILogger so they never reach log files or log shipping.
/// </summary>
public sealed class FirstRunNotice(TextWriter output)
{
    private readonly List<(string Who, string Email, string Secret, string Kind)> _entries = [];

    public void Add(string who, string email, string secret, string kind = "password") => _entries.Add((who, email, secret, kind));

    public int Count => _entries.Count;

    public void Flush(string? url = null)
    {
        if (_entries.Count == 0)
        {
            return;
        }

        var bar = new string('=', 78);
        output.WriteLine(bar);
        output.WriteLine(" AgentConsole first start: sign-in credentials (shown only this once)");
        output.WriteLine(bar);
        foreach (var (who, email, secret, kind) in _entries)
        {
            output.WriteLine($"  {who,-9} {email,-32} {kind}: {secret}");
        }

        output.WriteLine(bar);
        output.WriteLine(" Store them now; change them under Settings > Users.");
        output.WriteLine(bar);
        output.Flush();
        _entries.Clear();
    }
}
