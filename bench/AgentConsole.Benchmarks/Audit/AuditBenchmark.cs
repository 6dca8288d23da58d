using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using AgentConsole.Benchmarks.Reporting;
using AgentConsole.Engine.Audit;

namespace AgentConsole.Benchmarks.Audit;

internal sealed record AuditBenchmarkOptions(
    long Events,
    int BatchSize,
    int Iterations,
    int Warmup,
    int Seed,
    string OutputPath,
    bool KeepDatabase);

/// <summary>
/// Seeds the audit log through its real write API, then measures append throughput, search latency against a
/// direct-SQL baseline run in the same process on the same file, and chain verification.
/// </summary>
internal sealed class AuditBenchmark(AuditBenchmarkOptions options, TextWriter progress)
{
    public const double AppendGoal = 20_000;
    public const double SearchP95GoalMs = 50;
    public const double RatioGoal = 2;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly DateTimeOffset SeedStart = new(2026, 7, 28, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan SeedSpan = TimeSpan.FromDays(120);

    public async Task<string> RunAsync(CancellationToken ct)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var clock = new SeedClock(SeedStart, SeedSpan, options.Events, options.Seed);
        var database = await BenchDatabase.CreateAsync(clock, ct);
        try
        {
            var append = await SeedAsync(database, ct);
            var size = database.SizeOnDisk();
            await using var direct = await DirectSearch.OpenAsync(database.ConnectionString, ct);
            var sqliteVersion = await direct.ScalarTextAsync("SELECT sqlite_version()", ct);
            var newest = new DateTimeOffset(long.Parse(await direct.ScalarTextAsync("SELECT MAX(Timestamp) FROM AuditEvents", ct), Inv), TimeSpan.Zero);
            var oldest = new DateTimeOffset(long.Parse(await direct.ScalarTextAsync("SELECT MIN(Timestamp) FROM AuditEvents", ct), Inv), TimeSpan.Zero);
            var kinds = SearchCases.Build(newest);
            var search = await SearchAsync(database, direct, kinds, ct);
            var verify = await VerifyAsync(database, ct);
            var report = Report(append, search, verify, size, sqliteVersion, oldest, newest, (loadAtStart, MachineInfo.LoadAverage()));
            if (options.KeepDatabase)
            {
                progress.WriteLine($"Database kept at {database.DatabasePath}");
            }

            return report;
        }
        finally
        {
            if (!options.KeepDatabase)
            {
                await database.DisposeAsync();
            }
        }
    }

    private sealed record AppendResult(
        long Events, TimeSpan Record, TimeSpan Seal, TimeSpan RecordCpu, TimeSpan SealCpu, double FirstTenthRate, double LastTenthRate, int Actors)
    {
        public double RecordRate => Events / Record.TotalSeconds;
        public double SealRate => Events / Seal.TotalSeconds;
        public double EndToEndRate => Events / (Record + Seal).TotalSeconds;
    }

    private async Task<AppendResult> SeedAsync(BenchDatabase database, CancellationToken ct)
    {
        var corpus = new AuditCorpus(options.Seed);
        var batch = new List<AuditEntry>(options.BatchSize);
        var record = TimeSpan.Zero;
        var seal = TimeSpan.Zero;
        var recordCpu = TimeSpan.Zero;
        var sealCpu = TimeSpan.Zero;
        var tenth = Math.Max(1, options.Events / 10);
        (long Events, TimeSpan Time) first = default, last = default;
        long written = 0;
        var reported = 0;
        progress.WriteLine($"Seeding {options.Events:N0} events in batches of {options.BatchSize:N0} (RecordBatchAsync, then SealPendingAsync)...");
        while (written < options.Events)
        {
            var n = (int)Math.Min(options.BatchSize, options.Events - written);
            batch.Clear();
            for (var i = 0; i < n; i++)
            {
                batch.Add(corpus.Next());
            }

            // Producing the entries is the caller's work, so the clock starts at the write API.
            var cpuStart = CpuTime();
            var start = Stopwatch.GetTimestamp();
            await database.Log.RecordBatchAsync(batch, ct);
            var recorded = Stopwatch.GetTimestamp();
            var cpuRecorded = CpuTime();
            var sealedCount = await database.Chain.SealPendingAsync(ct);
            var done = Stopwatch.GetTimestamp();
            var cpuDone = CpuTime();
            recordCpu += cpuRecorded - cpuStart;
            sealCpu += cpuDone - cpuRecorded;
            if (sealedCount != n)
            {
                throw new InvalidOperationException($"Sealed {sealedCount} events after recording {n}.");
            }

            var batchTime = Stopwatch.GetElapsedTime(start, done);
            record += Stopwatch.GetElapsedTime(start, recorded);
            seal += Stopwatch.GetElapsedTime(recorded, done);
            if (written < tenth)
            {
                first = (first.Events + n, first.Time + batchTime);
            }

            if (written >= options.Events - tenth)
            {
                last = (last.Events + n, last.Time + batchTime);
            }

            written += n;
            var percent = (int)(written * 100 / options.Events);
            if (percent / 10 > reported / 10)
            {
                reported = percent;
                progress.WriteLine($"  {written,12:N0} events  {written / (record + seal).TotalSeconds,10:N0} events/s so far");
            }
        }

        return new AppendResult(
            written, record, seal, recordCpu, sealCpu, first.Events / first.Time.TotalSeconds, last.Events / last.Time.TotalSeconds, corpus.ActorCount);
    }

    private sealed record KindResult(
        SearchKind Kind,
        Samples Api,
        Samples Direct,
        Samples? DirectBounded,
        IReadOnlyList<(SearchCase Case, long Matches)> Counts,
        IReadOnlyList<string> Plan,
        IReadOnlyList<string>? BoundedPlan);

    private async Task<IReadOnlyList<KindResult>> SearchAsync(BenchDatabase database, DirectSearch direct, IReadOnlyList<SearchKind> kinds, CancellationToken ct)
    {
        progress.WriteLine($"Searching: {options.Warmup} warm-up and {options.Iterations} measured rounds of each kind, API and direct SQL interleaved...");
        var results = new List<KindResult>();
        foreach (var kind in kinds)
        {
            var counts = new List<(SearchCase, long)>();
            foreach (var c in kind.Cases)
            {
                counts.Add((c, await direct.CountAsync(c, ct)));
            }

            var windowed = kind.Cases.Any(c => c.Query.From is not null || c.Query.To is not null);
            results.Add(new KindResult(
                kind,
                new Samples(),
                new Samples(),
                windowed ? new Samples() : null,
                counts,
                await direct.PlanAsync(kind.Cases[^1], ct),
                windowed ? await direct.PlanAsync(kind.Cases[^1], ct, windowBounds: true) : null));
        }

        ForceGc();
        for (var i = -options.Warmup; i < options.Iterations; i++)
        {
            var round = i + options.Warmup;
            foreach (var result in results)
            {
                var c = result.Kind.Cases[round % result.Kind.Cases.Count];
                var runs = new List<Func<Task<(double Ms, List<long> Page)>>>
                {
                    () => TimeAsync(async () => (await database.Search.SearchAsync(c.Query, ct)).Events.Select(e => e.Sequence).ToList()),
                    () => TimeAsync(() => direct.RunAsync(c, ct)),
                };
                if (result.DirectBounded is not null)
                {
                    runs.Add(() => TimeAsync(() => direct.RunAsync(c, ct, windowBounds: true)));
                }

                // Rotate who goes first so no side always finds the pages another just loaded.
                var timings = new (double Ms, List<long> Page)[runs.Count];
                for (var k = 0; k < runs.Count; k++)
                {
                    var index = (round + k) % runs.Count;
                    timings[index] = await runs[index]();
                }

                foreach (var (_, page) in timings.Skip(1))
                {
                    if (!timings[0].Page.SequenceEqual(page.Take(c.Query.Limit)))
                    {
                        throw new InvalidOperationException($"API and direct SQL disagree on '{c.Label}': the baseline is not the same query.");
                    }
                }

                if (i >= 0)
                {
                    result.Api.Add(timings[0].Ms);
                    result.Direct.Add(timings[1].Ms);
                    result.DirectBounded?.Add(timings[2].Ms);
                }
            }
        }

        return results;
    }

    private static async Task<(double Ms, List<long> Page)> TimeAsync(Func<Task<List<long>>> search)
    {
        var start = Stopwatch.GetTimestamp();
        var page = await search();
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, page);
    }

    private async Task<(AuditVerification Result, TimeSpan Elapsed)> VerifyAsync(BenchDatabase database, CancellationToken ct)
    {
        progress.WriteLine("Verifying the chain...");
        ForceGc();
        var start = Stopwatch.GetTimestamp();
        var result = await database.Chain.VerifyAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (!result.Ok || result.EventsChecked != options.Events)
        {
            throw new InvalidOperationException($"Verification failed: checked {result.EventsChecked} of {options.Events}, {result.Reason}");
        }

        return (result, elapsed);
    }

    private string Report(
        AppendResult append,
        IReadOnlyList<KindResult> search,
        (AuditVerification Result, TimeSpan Elapsed) verify,
        long size,
        string sqliteVersion,
        DateTimeOffset oldest,
        DateTimeOffset newest,
        (string Start, string End) load)
    {
        var allApi = new Samples();
        var allDirect = new Samples();
        foreach (var k in search)
        {
            allApi.AddRange(k.Api);
            allDirect.AddRange(k.Direct);
        }

        var p95 = allApi.Percentile(95);
        var ratio = p95 / allDirect.Percentile(95);
        var worstRatio = search.Max(k => k.Api.Percentile(95) / k.Direct.Percentile(95));
        var verifyRate = verify.Result.EventsChecked / verify.Elapsed.TotalSeconds;

        var text = new StringBuilder();
        text.AppendLine("# Audit log benchmark").AppendLine();
        text.AppendLine(Inv, $"`dotnet run -c Release --project bench/AgentConsole.Benchmarks -- audit{(options.Events == 1_000_000 ? "" : $" --events {options.Events}")}`");
        text.AppendLine();
        text.AppendLine(Inv, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · SQLite {sqliteVersion} · " +
            $"{RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores{MachineInfo.Cpu()} · {MachineInfo.Build()} · " +
            $"load average {load.Start} at start, {load.End} at end (other processes on the machine share the cores)");
        text.AppendLine();
        text.AppendLine(Inv, $"{options.Events:N0} events ({size / 1024.0 / 1024:N0} MiB on disk with the FTS5 index), {AuditCorpus.Agents.Length} agents, " +
            $"{append.Actors} actors (people, API keys, system; agent steps are attributed to their run), 8 categories, " +
            $"{oldest:yyyy-MM-dd} to {newest:yyyy-MM-dd} ({(newest - oldest).TotalDays:N0} days). " +
            $"Written with `AuditLog.RecordBatchAsync` in batches of {options.BatchSize:N0}, each followed by `AuditChain.SealPendingAsync`.");
        text.AppendLine();

        var goals = new MarkdownTable("measure", "result", "goal", "");
        goals.RightAligned.Add(1);
        goals.Row("append, record + seal end to end", Rate(append.EndToEndRate), "≥ 20,000 events/s", Mark(append.EndToEndRate >= AppendGoal));
        goals.Row("append, record only (`RecordBatchAsync`)", Rate(append.RecordRate), "", "");
        goals.Row("append, seal only (`SealPendingAsync`)", Rate(append.SealRate), "", "");
        goals.Row("append, process CPU time per event, record / seal",
            $"{append.RecordCpu.TotalMicroseconds / append.Events:N1} µs / {append.SealCpu.TotalMicroseconds / append.Events:N1} µs", "", "");
        goals.Row($"append, first / last {options.Events / 10:N0} events", $"{Rate(append.FirstTenthRate)} / {Rate(append.LastTenthRate)}", "", "");
        goals.Row("search p95, all kinds (API)", Ms(p95), "≤ 50 ms", Mark(p95 <= SearchP95GoalMs));
        goals.Row("search p95, API / direct SQL, all kinds", Ratio(ratio), "≤ 2×", Mark(ratio <= RatioGoal));
        goals.Row("search p95, API / direct SQL, worst kind", Ratio(worstRatio), "≤ 2×", Mark(worstRatio <= RatioGoal));
        foreach (var k in search.Where(k => k.DirectBounded is not null))
        {
            var boundedRatio = k.Api.Percentile(95) / k.DirectBounded!.Percentile(95);
            goals.Row($"search p95, API / direct SQL with the engine's window bounds, {k.Kind.Name}", Ratio(boundedRatio), "≤ 2×", Mark(boundedRatio <= RatioGoal));
        }

        goals.Row($"verification of {verify.Result.EventsChecked:N0} events (`VerifyAsync`)", Rate(verifyRate), "", "");
        text.AppendLine("## Goals").AppendLine().Append(goals).AppendLine();

        var latency = new MarkdownTable("query kind", "API p50", "API p95", "API p99", "direct p50", "direct p95", "API/direct p50", "API/direct p95");
        foreach (var i in Enumerable.Range(1, 7))
        {
            latency.RightAligned.Add(i);
        }

        foreach (var k in search)
        {
            latency.Row(k.Kind.Name, Ms(k.Api.Percentile(50)), Ms(k.Api.Percentile(95)), Ms(k.Api.Percentile(99)),
                Ms(k.Direct.Percentile(50)), Ms(k.Direct.Percentile(95)),
                Ratio(k.Api.Percentile(50) / k.Direct.Percentile(50)), Ratio(k.Api.Percentile(95) / k.Direct.Percentile(95)));
        }

        foreach (var k in search.Where(k => k.DirectBounded is not null))
        {
            latency.Row(k.Kind.Name + ", baseline with window bounds", Ms(k.Api.Percentile(50)), Ms(k.Api.Percentile(95)), Ms(k.Api.Percentile(99)),
                Ms(k.DirectBounded!.Percentile(50)), Ms(k.DirectBounded.Percentile(95)),
                Ratio(k.Api.Percentile(50) / k.DirectBounded.Percentile(50)), Ratio(k.Api.Percentile(95) / k.DirectBounded.Percentile(95)));
        }

        latency.Row("**all**", Ms(allApi.Percentile(50)), Ms(p95), Ms(allApi.Percentile(99)),
            Ms(allDirect.Percentile(50)), Ms(allDirect.Percentile(95)),
            Ratio(allApi.Percentile(50) / allDirect.Percentile(50)), Ratio(ratio));
        text.AppendLine("## Search latency (first page, limit 50)").AppendLine();
        text.AppendLine(Inv, $"{options.Iterations} measured rounds per kind after {options.Warmup} warm-up rounds; each round runs the kind's next variant " +
            $"through `AuditSearch.SearchAsync` and as direct SQL (one open `SqliteConnection`, a new `SqliteCommand` per query, every column read), " +
            $"rotating which goes first; all must return the same page. The direct SQL is the plain FTS5 join with the same filters; " +
            $"for date windows `AuditSearch` also bounds the scan by the window's lowest and highest sequence (see below), so those queries " +
            $"are also compared with direct SQL that has the same bounds. **all** pools every kind against the plain baseline.");
        text.AppendLine().Append(latency).AppendLine();

        text.AppendLine("### Query variants").AppendLine();
        var variants = new MarkdownTable("kind", "variant", "matching events");
        variants.RightAligned.Add(2);
        foreach (var k in search)
        {
            foreach (var (c, matches) in k.Counts)
            {
                variants.Row(k.Kind.Name, c.Label, matches.ToString("N0", Inv));
            }
        }

        text.Append(variants).AppendLine();
        text.AppendLine("### Direct SQL and its plan").AppendLine();
        foreach (var k in search)
        {
            text.Append(k.Kind.Name).AppendLine(":").AppendLine().AppendLine("```sql").AppendLine(DirectSearch.Sql(k.Kind.Cases[^1]));
            foreach (var line in k.Plan)
            {
                text.AppendLine("-- " + line);
            }

            text.AppendLine("```").AppendLine();
            if (k.BoundedPlan is not null)
            {
                text.Append(k.Kind.Name).AppendLine(", with the window bounds `AuditSearch` adds:").AppendLine().AppendLine("```sql")
                    .AppendLine(DirectSearch.Sql(k.Kind.Cases[^1], windowBounds: true));
                foreach (var line in k.BoundedPlan)
                {
                    text.AppendLine("-- " + line);
                }

                text.AppendLine("```").AppendLine();
            }
        }

        return text.ToString();
    }

    private static string Rate(double perSecond) => perSecond.ToString("N0", Inv) + " events/s";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", Inv) + " ms";

    private static string Ratio(double ratio) => ratio.ToString("0.00", Inv) + "×";

    private static string Mark(bool met) => met ? "met" : "**missed**";

    // The whole process (GC and pool threads too); the load of other processes on the machine does not count here.
    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static void ForceGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
