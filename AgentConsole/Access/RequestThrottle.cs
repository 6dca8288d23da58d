using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentConsole.Access;

/// <summary>
/// The console's abuse limits, on the same limiters ASP.NET Core's rate-limiting middleware uses. They live here rather
/// than in endpoint policies because sign-ins and API keys count only failures (known only after the check) and a
/// re-run's agent is known only after a lookup.
/// </summary>
public sealed class RequestThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _loginPerAccount;
    private readonly PartitionedRateLimiter<string> _loginPerIp;
    private readonly PartitionedRateLimiter<string> _apiKeyPerIp;
    private readonly PartitionedRateLimiter<string> _runsPerCaller;
    private readonly PartitionedRateLimiter<string> _runsPerAgent;
    private readonly PartitionedRateLimiter<string> _verifyPerCaller;
    private readonly PartitionedRateLimiter<string> _signInTurnPerIp;
    private readonly PartitionedRateLimiter<string> _signInTurnPerAccount;

    public RequestThrottle(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _loginPerAccount = Window(limits.LoginFailuresPerAccount);
        _loginPerIp = Window(limits.LoginFailuresPerIp);
        _apiKeyPerIp = Window(limits.ApiKeyFailuresPerIp);
        _runsPerCaller = Bucket(limits.RunsPerCaller);
        _runsPerAgent = Bucket(limits.RunsPerAgent);
        _verifyPerCaller = Window(limits.AuditVerificationsPerCaller);
        _signInTurnPerIp = OneAtATime(limits.LoginFailuresPerIp.PermitLimit);
        _signInTurnPerAccount = OneAtATime(limits.LoginFailuresPerAccount.PermitLimit);
    }

    /// <summary>
    /// Waits for the address's and the account's turn to sign in; hold it from <see cref="CheckSignIn"/> through
    /// <see cref="CountFailedSignIn"/>. Failures are counted only after the password check, so attempts that arrived
    /// together would all pass the check before the first was counted; one attempt at a time per address and per
    /// account makes every check see the failures before it. Null when too many attempts already wait (refuse them).
    /// </summary>
    public async Task<IDisposable?> EnterSignInAsync(IPAddress? ip, string email, CancellationToken ct = default)
    {
        // Always the address first, then the account, so two attempts never wait for each other's turn.
        var byIp = await _signInTurnPerIp.AcquireAsync(IpKey(ip), 1, ct);
        if (!byIp.IsAcquired)
        {
            byIp.Dispose();
            return null;
        }

        RateLimitLease byAccount;
        try
        {
            byAccount = await _signInTurnPerAccount.AcquireAsync(AccountKey(email), 1, ct);
        }
        catch
        {
            byIp.Dispose();
            throw;
        }

        if (!byAccount.IsAcquired)
        {
            byAccount.Dispose();
            byIp.Dispose();
            return null;
        }

        return new SignInTurn(byIp, byAccount);
    }

    /// <summary>Whether a sign-in may be tried now; it consumes nothing (only failures do).</summary>
    public ThrottleResult CheckSignIn(IPAddress? ip, string email) =>
        Check(_loginPerIp, IpKey(ip), _loginPerAccount, AccountKey(email));

    public void CountFailedSignIn(IPAddress? ip, string email)
    {
        _loginPerIp.AttemptAcquire(IpKey(ip)).Dispose();
        _loginPerAccount.AttemptAcquire(AccountKey(email)).Dispose();
    }

    /// <summary>Whether this IP may still present an API key; it consumes nothing (only failures do).</summary>
    public ThrottleResult CheckApiKey(IPAddress? ip) => Check(_apiKeyPerIp, IpKey(ip));

    public void CountFailedApiKey(IPAddress? ip) => _apiKeyPerIp.AttemptAcquire(IpKey(ip)).Dispose();

    /// <summary>Takes one run from the caller's and the agent's budgets.</summary>
    public ThrottleResult AcquireRun(string caller, string agentKey)
    {
        var byCaller = Acquire(_runsPerCaller, caller);
        return byCaller.Allowed ? Acquire(_runsPerAgent, agentKey.ToUpperInvariant()) : byCaller;
    }

    public ThrottleResult AcquireAuditVerification(string caller) => Acquire(_verifyPerCaller, caller);

    public void Dispose()
    {
        _loginPerAccount.Dispose();
        _loginPerIp.Dispose();
        _apiKeyPerIp.Dispose();
        _runsPerCaller.Dispose();
        _runsPerAgent.Dispose();
        _verifyPerCaller.Dispose();
        _signInTurnPerIp.Dispose();
        _signInTurnPerAccount.Dispose();
    }

    /// <summary>The caller's partition: the API key's id or the user's id, never a name someone else could share.</summary>
    public static string CallerKey(ClaimsPrincipal user) =>
        user.FindFirstValue(ActorExtensions.ApiKeyIdClaim) is { } keyId
            ? $"api-key:{keyId}"
            : $"user:{user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.ActorName()}";

    /// <summary>
    /// The address's partition. One IPv6 client usually holds a whole /64, so IPv6 addresses count per /64 prefix;
    /// otherwise every guess could come from a fresh address.
    /// </summary>
    internal static string IpKey(IPAddress? ip)
    {
        if (ip is null)
        {
            return "unknown";
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            return ip.MapToIPv4().ToString();
        }

        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(ip))
        {
            return ip.ToString();
        }

        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static string AccountKey(string email) => email.Trim().ToUpperInvariant();

    // Permit count 0 asks "is anything left?" without taking it.
    private static ThrottleResult Check(params ReadOnlySpan<(PartitionedRateLimiter<string> Limiter, string Key)> checks)
    {
        foreach (var (limiter, key) in checks)
        {
            using var lease = limiter.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                return ThrottleResult.Refused(RetryAfter(lease));
            }
        }

        return ThrottleResult.Pass;
    }

    private static ThrottleResult Check(PartitionedRateLimiter<string> first, string firstKey, PartitionedRateLimiter<string> second, string secondKey) =>
        Check([(first, firstKey), (second, secondKey)]);

    private static ThrottleResult Check(PartitionedRateLimiter<string> limiter, string key) => Check([(limiter, key)]);

    private static ThrottleResult Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired ? ThrottleResult.Pass : ThrottleResult.Refused(RetryAfter(lease));
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1);

    private static PartitionedRateLimiter<string> Window(WindowLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        }));

    private static PartitionedRateLimiter<string> Bucket(TokenBucketLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            // Refilled ten times a second rather than once, so a steady stream never meets an empty bucket at a tick.
            TokensPerPeriod = TokensPerTick(limit),
            ReplenishmentPeriod = TimeSpan.FromSeconds(TokensPerTick(limit) / (double)limit.PerSecond),
            QueueLimit = 0,
        }));

    // Attempts beyond the failure limit that wait in line would only be refused once their turn came.
    private static PartitionedRateLimiter<string> OneAtATime(int queueLimit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = 1,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));

    private sealed class SignInTurn(RateLimitLease byIp, RateLimitLease byAccount) : IDisposable
    {
        public void Dispose()
        {
            byAccount.Dispose();
            byIp.Dispose();
        }
    }

    private static int TokensPerTick(TokenBucketLimit limit) => Math.Max(1, limit.PerSecond / 10);

    /// <summary>429 problem+json with Retry-After, for API callers.</summary>
    internal static Task WriteTooManyRequestsAsync(HttpContext context, ThrottleResult result, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterHeader(result.RetryAfter);
        return Api.Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests", detail);
    }

    internal static string RetryAfterHeader(TimeSpan retryAfter) =>
        ((int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
}
