using System.ComponentModel.DataAnnotations;
using AgentConsole.Access;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;

namespace AgentConsole.Components.Pages.Account;

public sealed partial class Login
{
    private string? _error;

    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [Inject] private SignInManager<AppUser> SignIn { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ILogger<Login> Logger { get; set; } = default!;
    [Inject] private AuditLog Audit { get; set; } = default!;
    [Inject] private RequestThrottle Throttle { get; set; } = default!;

    [SupplyParameterFromForm] private LoginInput? Input { get; set; }

    [SupplyParameterFromQuery] private string? ReturnUrl { get; set; }
    [SupplyParameterFromQuery(Name = "expired")] private string? ExpiredFlag { get; set; }
    [SupplyParameterFromQuery(Name = "signedOut")] private string? SignedOutFlag { get; set; }

    private bool Expired => ExpiredFlag == "1";
    private bool SignedOut => SignedOutFlag == "1";

    protected override void OnInitialized() => Input ??= new LoginInput();

    private async Task SignInAsync()
    {
        Input ??= new LoginInput();
        var email = Input.Email.Trim();
        var password = Input.Password;
        // A failed sign-in re-renders this form; it must not echo the submitted password back into the page.
        Input.Password = "";
        var ip = HttpContext.Connection.RemoteIpAddress;
        // Held until this attempt's failure is counted, so simultaneous guesses cannot all pass the check first.
        using var turn = await Throttle.EnterSignInAsync(ip, email, HttpContext.RequestAborted);
        var throttle = turn is null ? ThrottleResult.Refused(TimeSpan.FromSeconds(1)) : Throttle.CheckSignIn(ip, email);
        if (!throttle.Allowed)
        {
            // Logged, not audited: the failures that led here are audited already, and an audit write per refused
            // request would let a flood write to the database at the attacker's pace.
            LoginLog.Throttled(Logger, email);
            HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            HttpContext.Response.Headers.RetryAfter = RequestThrottle.RetryAfterHeader(throttle.RetryAfter);
            _error = $"Too many failed sign-ins. Wait {RequestThrottle.RetryAfterHeader(throttle.RetryAfter)} seconds before trying again.";
            return;
        }

        var result = await SignIn.PasswordSignInAsync(email, password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            LoginLog.SignedIn(Logger, email);
            await RecordAsync("signin.succeeded", email, $"{email} signed in");
            Navigation.NavigateTo(SafeReturnUrl(ReturnUrl), forceLoad: true);
            return;
        }

        Throttle.CountFailedSignIn(ip, email);
        if (result.IsLockedOut)
        {
            LoginLog.LockedOut(Logger, email);
            await RecordAsync("signin.locked-out", email, $"Sign-in refused for {email}: account locked out after repeated failures");
            _error = "Too many failed sign-ins. This account is locked for a few minutes; try again later or ask an Admin to reset it.";
            return;
        }

        // A disabled account answers like a wrong password (AppSignInManager), so its password cannot be probed.
        LoginLog.Failed(Logger, email);
        await RecordAsync("signin.failed", email, $"Sign-in failed for {email}: wrong email or password");
        _error = "Invalid email or password.";
    }

    private Task RecordAsync(string action, string email, string summary) =>
        Audit.RecordAsync(new AuditEntry(AuditCategory.Security, action, AuditActor.User(email), summary,
            new { email, remoteIp = HttpContext.Connection.RemoteIpAddress?.ToString(), userAgent = HttpContext.Request.Headers.UserAgent.ToString() }));

    internal static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.StartsWith("/login", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";

    internal const int MaxEmailLength = 256;

    internal sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your email.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(MaxEmailLength, ErrorMessage = "An email address has at most 256 characters.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";

        public bool RememberMe { get; set; }
    }
}

internal static partial class LoginLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in succeeded for {Email}")]
    public static partial void SignedIn(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {Email}")]
    public static partial void Failed(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Email}: account locked out")]
    public static partial void LockedOut(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Email}: too many failed sign-ins")]
    public static partial void Throttled(ILogger logger, string email);
}
