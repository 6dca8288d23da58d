using System.Text;
using AgentConsole.Engine.Triggers.Webhooks;

namespace AgentConsole.Tests.Triggers.Webhooks;

public sealed class WebhookSignatureTests
{
    // printf '%s.%s' 1700000000 '{"name":"Dana"}' | openssl dgst -sha256 -hmac whsec_test — the README's curl recipe.
    private const string OpensslSignature = "sha256=f3b9a3a6f102cf978f22dd41e01c884966e736a68ab20196a9dfd47b1cd8ed85";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"name":"Dana"}""");

    [Fact]
    public void Sign_MatchesOpenssl_ForTheSecretTextAsKey()
    {
        Assert.Equal(OpensslSignature, WebhookSignature.Sign("whsec_test", 1_700_000_000, Body));
    }

    [Fact]
    public void Verify_AcceptsAnyOfTheSecrets_AndRefusesOtherTimestampsOrBodies()
    {
        var expected = new byte[WebhookSignature.HashBytes];
        Assert.True(WebhookSignature.TryParse(OpensslSignature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), expected));

        Assert.True(WebhookSignature.Verify(["whsec_new", "whsec_test"], "1700000000", Body, expected));
        Assert.False(WebhookSignature.Verify(["whsec_new"], "1700000000", Body, expected));
        Assert.False(WebhookSignature.Verify(["whsec_test"], "1700000001", Body, expected));
        Assert.False(WebhookSignature.Verify(["whsec_test"], "1700000000", Encoding.UTF8.GetBytes("""{"name":"Dan"}"""), expected));
        Assert.False(WebhookSignature.Verify(["whsec_test"], new string('1', 40), Body, expected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha1=f3b9")]
    [InlineData("sha256=xyz")]
    [InlineData("sha256=f3b9a3a6f102cf978f22dd41e01c884966e736a68ab20196a9dfd47b1cd8ed")]
    public void TryParse_RefusesHeadersOfAnotherShape(string header)
    {
        Assert.False(WebhookSignature.TryParse(header, new byte[WebhookSignature.HashBytes]));
    }

    [Fact]
    public void VerifyBearer_ComparesTheWholeSecret()
    {
        Assert.True(WebhookSignature.VerifyBearer(["whsec_a", "whsec_b"], "whsec_b"));
        Assert.False(WebhookSignature.VerifyBearer(["whsec_a"], "whsec_"));
        Assert.False(WebhookSignature.VerifyBearer([], "whsec_a"));
    }
}
