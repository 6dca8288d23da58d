using AgentConsole.Engine.Tools.Http;

namespace AgentConsole.Tests.Tools.Http;

public sealed class HostAllowListTests
{
    private static readonly HostAllowList List = HostAllowList.Parse(["api.example.com", "billing.example.com:8443", "*.partner.example", "10.0.0.5", "[::1]:9000"]);

    [Theory]
    [InlineData("https://api.example.com/v1/items")]
    [InlineData("http://API.Example.com/")]
    [InlineData("https://billing.example.com:8443/invoices")]
    [InlineData("https://eu.partner.example/x")]
    [InlineData("https://a.b.partner.example/x")]
    [InlineData("https://10.0.0.5/status")]
    [InlineData("http://[::1]:9000/")]
    public void Refusal_IsNull_WhenTheUrlIsOnTheList(string url)
    {
        Assert.Null(List.Refusal(new Uri(url)));
    }

    [Theory]
    [InlineData("https://evil.example.com/", "not on the connection's allow-list")]
    [InlineData("https://api.example.com.evil.net/", "not on the connection's allow-list")]
    [InlineData("https://api.example.com:8080/", "not on the connection's allow-list")]
    [InlineData("https://billing.example.com/", "not on the connection's allow-list")]
    [InlineData("https://partner.example/", "not on the connection's allow-list")]
    [InlineData("http://127.0.0.1/", "IP address")]
    [InlineData("http://2130706433/", "IP address")]
    [InlineData("http://[::1]/", "IP address")]
    [InlineData("file:///etc/passwd", "Only http and https")]
    [InlineData("ftp://api.example.com/", "Only http and https")]
    [InlineData("https://user:secret@api.example.com/", "credentials")]
    public void Refusal_SaysWhy_WhenTheUrlIsNotAllowed(string url, string reason)
    {
        var refusal = List.Refusal(new Uri(url));

        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*.10.0.0.5")]
    [InlineData("api.*.example.com")]
    [InlineData("https://api.example.com")]
    [InlineData("api.example.com/path")]
    [InlineData("api.example.com:99999")]
    [InlineData("*")]
    public void Parse_Refuses_WhenAnEntryIsNotAHostName(string entry)
    {
        var error = Assert.Throws<FormatException>(() => HostAllowList.Parse([entry]));

        Assert.Contains(entry, error.Message, StringComparison.Ordinal);
    }
}
