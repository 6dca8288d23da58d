namespace AgentConsole.Benchmarks.Webhooks;

/// <summary>How the P3 webhook-ingestion benchmark loads the app and the baseline.</summary>
/// <param name="RepositoryRoot">Where AgentConsole.sln is; the app is built from and run out of it.</param>
/// <param name="Connections">Concurrent connections, each sending its next request when the previous one is answered.</param>
/// <param name="Duration">How long each target is measured.</param>
/// <param name="Warmup">Load before the measurement (JIT, connection set-up, SQLite caches); counted for the loss check only.</param>
/// <param name="Build">Build the app first (Release).</param>
/// <param name="OutputPath">Where the Markdown report goes; "-" prints only.</param>
internal sealed record WebhookBenchmarkOptions(
    string RepositoryRoot,
    int Connections,
    TimeSpan Duration,
    TimeSpan Warmup,
    bool Build,
    string OutputPath);
