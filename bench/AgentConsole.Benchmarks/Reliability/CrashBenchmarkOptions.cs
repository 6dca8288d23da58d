namespace AgentConsole.Benchmarks.Reliability;

/// <summary>How the crash benchmark kills and restarts the app.</summary>
/// <param name="RepositoryRoot">Where AgentConsole.sln is; the app is built from and run out of it.</param>
/// <param name="Kills">SIGKILL/restart cycles while clients post runs.</param>
/// <param name="Clients">Concurrent clients posting runs.</param>
/// <param name="MinUptime">Shortest time the app runs (after it answers) before it is killed.</param>
/// <param name="MaxUptime">Longest such time; each cycle picks at random in between.</param>
/// <param name="SettleTimeout">How long to wait after the last restart for every accepted run to settle.</param>
/// <param name="Seed">Seed of the kill intervals and the leads posted.</param>
/// <param name="Build">Build the app first (Release).</param>
/// <param name="OutputPath">Where the Markdown report goes; "-" prints only.</param>
/// <param name="Runs">Clients stop posting once this many runs were accepted (null: they post until the last kill).</param>
/// <param name="FaultRatio">Share of sandbox connector attempts that fail (AgentConsole:Tools:SandboxFaultRatio); 0 = none.</param>
internal sealed record CrashBenchmarkOptions(
    string RepositoryRoot,
    int Kills,
    int Clients,
    TimeSpan MinUptime,
    TimeSpan MaxUptime,
    TimeSpan SettleTimeout,
    int Seed,
    bool Build,
    string OutputPath,
    int? Runs = null,
    double FaultRatio = 0);
