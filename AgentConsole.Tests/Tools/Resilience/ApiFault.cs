namespace AgentConsole.Tests.Tools.Resilience;

/// <summary>What the <see cref="FaultyApi"/> does with one request.</summary>
public enum ApiFault
{
    /// <summary>Applies the effect (once per idempotency key) and answers 200.</summary>
    None,

    /// <summary>500 Internal Server Error, nothing applied.</summary>
    ServerError,

    /// <summary>429 with <c>Retry-After: 1</c>, nothing applied.</summary>
    TooManyRequests,

    /// <summary>Applies the effect, then never answers (the response is lost): the client's attempt times out.</summary>
    Hang,

    /// <summary>401 Unauthorized, nothing applied.</summary>
    Unauthorized,
}
