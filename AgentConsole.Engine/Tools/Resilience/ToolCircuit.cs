namespace AgentConsole.Engine.Tools.Resilience;

/// <summary>
/// What one tool+connection breaker has seen, for the message a call gets while it is open: Polly's breaker does not
/// say how many failures opened it or how long it stays open.
/// </summary>
internal sealed class ToolCircuit(TimeProvider time, TimeSpan samplingDuration)
{
    private readonly Queue<DateTimeOffset> _failures = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _openUntil;
    private int _openedAfter;
    private string? _lastError;

    public void Failed(string error)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _failures.Enqueue(now);
            while (_failures.Count > 0 && _failures.Peek() < now - samplingDuration)
            {
                _failures.Dequeue();
            }

            _lastError = error;
        }
    }

    public void Opened(TimeSpan breakDuration)
    {
        lock (_gate)
        {
            _openUntil = time.GetUtcNow() + breakDuration;
            _openedAfter = _failures.Count;
        }
    }

    public void Closed()
    {
        lock (_gate)
        {
            _failures.Clear();
            _openedAfter = 0;
        }
    }

    /// <summary>The error a call refused by the open breaker gets.</summary>
    public string Describe(string toolKey, string connectionKey)
    {
        lock (_gate)
        {
            var left = _openUntil - time.GetUtcNow();
            var seconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
            var last = _lastError is null ? "" : $"; last error: {_lastError}";
            return $"{toolKey} was not called: the circuit for connection '{connectionKey}' is open for {seconds} s after {_openedAfter} failure{(_openedAfter == 1 ? "" : "s")}{last}";
        }
    }
}
