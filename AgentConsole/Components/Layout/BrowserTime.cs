using Microsoft.JSInterop;

namespace AgentConsole.Components.Layout;

/// <summary>
/// The signed-in user's time zone, asked from the browser once per circuit. The server only knows UTC; until the
/// browser has answered (prerendering, bunit) times stay in UTC and say so.
/// </summary>
public sealed class BrowserTime(IJSRuntime js, TimeProvider time)
{
    private TimeZoneInfo? _zone;

    public bool IsKnown => _zone is not null;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Asks the browser; call from OnAfterRenderAsync. True when the zone became known just now.</summary>
    public async Task<bool> EnsureAsync()
    {
        if (_zone is not null)
        {
            return false;
        }

        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference?>("import", "./js/time.js");
            var id = module is null ? null : await module.InvokeAsync<string?>("timeZone");
            if (!string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                _zone = zone;
                return true;
            }
        }
        catch (JSException)
        {
        }
        catch (JSDisconnectedException)
        {
        }
        catch (InvalidOperationException)
        {
            // Prerendering: no browser yet.
        }

        return false;
    }

    public DateTimeOffset Local(DateTimeOffset at) => _zone is null ? at.ToUniversalTime() : TimeZoneInfo.ConvertTime(at, _zone);

    /// <summary>"2026-11-25 10:03:12" in the user's zone, with "UTC" appended while the zone is unknown.</summary>
    public string Format(DateTimeOffset at, string format = "yyyy-MM-dd HH:mm:ss") =>
        Local(at).ToString(format, System.Globalization.CultureInfo.InvariantCulture) + (_zone is null ? " UTC" : "");
}
