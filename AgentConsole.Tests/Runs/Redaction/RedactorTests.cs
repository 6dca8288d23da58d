using AgentConsole.Engine.Runs.Redaction;

namespace AgentConsole.Tests.Runs.Redaction;

public sealed class RedactorTests
{
    private static readonly Redactor Default = new(new RedactionOptions());

    private static string Kinds(string text, Redactor? redactor = null) =>
        string.Join(",", (redactor ?? Default).Find(text).Select(m => $"{m.Kind}:{text.Substring(m.Index, m.Length)}"));

    [Theory]
    [InlineData("SSN 123-45-6789 on file", "SSN:123-45-6789")]
    [InlineData("ssn: 123 45 6789.", "SSN:123 45 6789")]
    [InlineData("(078-05-1120)", "SSN:078-05-1120")]
    public void Find_DetectsSocialSecurityNumbers(string text, string expected) => Assert.Equal(expected, Kinds(text));

    [Theory]
    [InlineData("000-12-3456")]
    [InlineData("666-12-3456")]
    [InlineData("900-12-3456")]
    [InlineData("123-00-4567")]
    [InlineData("123-45-0000")]
    [InlineData("123-45 6789")]
    [InlineData("ref 1123-45-6789")]
    [InlineData("978-123-45-6789-0")]
    public void Find_IgnoresNumbersThatCannotBeSocialSecurityNumbers(string text) => Assert.Equal("", Kinds(text));

    [Theory]
    [InlineData("card 4111 1111 1111 1111 exp 12/27", "CARD:4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111", "CARD:4111-1111-1111-1111")]
    [InlineData("pay with 5500000000000004.", "CARD:5500000000000004")]
    [InlineData("amex 3782 822463 10005", "CARD:3782 822463 10005")]
    [InlineData("qty 2 4111 1111 1111 1111", "CARD:4111 1111 1111 1111")]
    public void Find_DetectsLuhnValidCardNumbers(string text, string expected) => Assert.Equal(expected, Kinds(text));

    [Theory]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("5500000000000005")]
    [InlineData("4111111111111111abc")]
    [InlineData("pi is 3.4111111111111111")]
    [InlineData("1 2 3 4 5 6 7 8 9 1 2 3 0")]
    public void Find_IgnoresDigitRunsThatAreNotCards(string text) => Assert.Equal("", Kinds(text));

    [Theory]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00, thanks", "IBAN:DE89 3704 0044 0532 0130 00")]
    [InlineData("to GB82WEST12345698765432.", "IBAN:GB82WEST12345698765432")]
    [InlineData("BE68 5390 0754 7034 Bank", "IBAN:BE68 5390 0754 7034")]
    public void Find_DetectsIbansWithAValidChecksum(string text, string expected) => Assert.Equal(expected, Kinds(text));

    [Theory]
    [InlineData("DE88 3704 0044 0532 0130 00")]
    [InlineData("GB82WEST12345698765433")]
    [InlineData("AB12CDEFGHIJKLMNOP")]
    public void Find_IgnoresIbansWithAnInvalidChecksum(string text) => Assert.Equal("", Kinds(text));

    [Theory]
    [InlineData("mail jane.doe+crm@example.co.uk.", "EMAIL:jane.doe+crm@example.co.uk")]
    [InlineData("<a@b.io>", "EMAIL:a@b.io")]
    public void Find_DetectsEmailAddresses(string text, string expected) => Assert.Equal(expected, Kinds(text));

    [Theory]
    [InlineData("call (555) 123-4567 today", "PHONE:(555) 123-4567")]
    [InlineData("555-123-4567", "PHONE:555-123-4567")]
    [InlineData("555.123.4567", "PHONE:555.123.4567")]
    [InlineData("+1 555 123 4567", "PHONE:+1 555 123 4567")]
    [InlineData("Berlin office +49 30 1234567.", "PHONE:+49 30 1234567")]
    [InlineData("+44 (20) 7946-0958", "PHONE:+44 (20) 7946-0958")]
    public void Find_DetectsPhoneNumbers(string text, string expected) => Assert.Equal(expected, Kinds(text));

    [Theory]
    [InlineData("We have 500 employees and 12 offices.")]
    [InlineData("Total $1,234.56 due 2026-11-26 at 10:30")]
    [InlineData("Order 123456 shipped, invoice 2026-0042")]
    [InlineData("Version 10.0.401, build 20261126")]
    [InlineData("ISBN 978-3-16-148410-0, IP 192.168.1.1, v1.2.3")]
    [InlineData("id 123e4567-e89b-12d3-a456-426614174000 at 2026-11-26T10:30:00Z")]
    [InlineData("Revenue 1 234 567,89 EUR or 4,111,111,111,111,111 USD")]
    [InlineData("Invoice INV-2026-000123, ticket #4521, ext. 1234")]
    [InlineData("+1234567")]
    [InlineData("x+4912345678")]
    public void Find_LeavesOrdinaryNumbersAlone(string text) => Assert.Equal("", Kinds(text));

    [Theory]
    [InlineData("key sk-proj-abcdefghijklmnopqrstuvwx12", "SECRET:sk-proj-abcdefghijklmnopqrstuvwx12")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "SECRET:ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("xoxb-1234567890-abcdefghij", "SECRET:xoxb-1234567890-abcdefghij")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "SECRET:AKIAIOSFODNN7EXAMPLE")]
    [InlineData("AIzaSyA1234567890abcdefghijklmnopqrstuv", "SECRET:AIzaSyA1234567890abcdefghijklmnopqrstuv")]
    [InlineData("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "SECRET:sk_live_4eC39HqLyjWDarjtT1zdp7dc")]
    [InlineData("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", "SECRET:abcdefghijklmnopqrstuvwxyz")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature-1 end", "SECRET:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature-1")]
    [InlineData("https://api.example.com/v1?api_key=abc123XYZ&page=2", "SECRET:abc123XYZ")]
    [InlineData("apiKey: hunter22", "SECRET:hunter22")]
    [InlineData("db_password = 'correct horse battery'", "SECRET:correct horse battery")]
    [InlineData("{\"client_secret\": \"s3cr3t-value\"}", "SECRET:s3cr3t-value")]
    public void Find_DetectsSecrets_AndOnlyTheValueOfAssignments(string text, string expected) => Assert.Equal(expected, Kinds(text));

    [Theory]
    [InlineData("the task-based sk-short key")]
    [InlineData("max_tokens: 500 and a Bearer short")]
    [InlineData("AKIAIOSFODNN7EXAMPLEX")]
    public void Find_IgnoresTextThatMerelyResemblesSecrets(string text) => Assert.Equal("", Kinds(text));

    [Fact]
    public void Find_ReturnsNonOverlappingMatches_OrderedByIndex()
    {
        var text = "a@b.io 123-45-6789 4111111111111111 +49 30 1234567 a@b.io";

        var matches = Default.Find(text);

        Assert.Equal(["EMAIL", "SSN", "CARD", "PHONE", "EMAIL"], matches.Select(m => m.Kind));
        Assert.True(matches.Zip(matches.Skip(1)).All(p => p.First.End <= p.Second.Index));
    }

    [Fact]
    public void Find_PrefersTheSecret_WhenASecretValueIsAlsoACardNumber()
    {
        Assert.Equal("SECRET:4111111111111111", Kinds("password=4111111111111111"));
    }

    [Fact]
    public void Find_CoversBothMatches_WhenTheyOverlapPartly()
    {
        var redactor = new Redactor(new RedactionOptions(), [new RedactionPattern("REF_NO", @"REF \d{3}")]);

        // The custom match starts first; the SSN it overlaps must not keep its tail in the clear.
        Assert.Equal("REF_NO:REF 123-45-6789", Kinds("REF 123-45-6789", redactor));
    }

    [Fact]
    public void Find_SkipsPlaceholders_SoRedactedTextStaysAsItIs()
    {
        var redactor = new Redactor(new RedactionOptions(), [new RedactionPattern("WORD", "[A-Z_]+")]);

        Assert.Equal("WORD:HELLO", Kinds("<SSN_1> HELLO", redactor));
    }

    [Fact]
    public void Find_UsesGlobalAndAgentCustomPatterns_WithTheirNamesAsKinds()
    {
        var options = new RedactionOptions { CustomPatterns = { ["CUSTOMER_ID"] = @"\bCUST-\d{6}\b" } };
        var redactor = new Redactor(options, [new RedactionPattern("ORDER_ID", @"\bORD-\d{8}\b")]);

        Assert.Equal("CUSTOMER_ID:CUST-004211,ORDER_ID:ORD-20261126", Kinds("CUST-004211 placed ORD-20261126", redactor));
    }

    [Fact]
    public void Find_SkipsDetectorsTurnedOffInOptions()
    {
        var text = "123-45-6789 4111111111111111 DE89370400440532013000 a@b.io (555) 123-4567 sk_live_4eC39HqLyjWDarjtT1zdp7dc password=x1y2z3";
        var none = new Redactor(new RedactionOptions
        {
            SocialSecurityNumbers = false,
            PaymentCards = false,
            Ibans = false,
            EmailAddresses = false,
            PhoneNumbers = false,
            Secrets = false,
        });
        var onlyPhones = new Redactor(new RedactionOptions { EmailAddresses = false, PaymentCards = false, Secrets = false, Ibans = false, SocialSecurityNumbers = false });

        Assert.Empty(none.Find(text));
        Assert.Equal("PHONE:(555) 123-4567", Kinds(text, onlyPhones));
        Assert.Equal(7, Default.Find(text).Count);
    }

    [Theory]
    [InlineData("ORDER_ID", @"ORD-\d+", null)]
    [InlineData("order_id", @"ORD-\d+", "must be 1 to 40 characters")]
    [InlineData("1ORDER", @"ORD-\d+", "must be 1 to 40 characters")]
    [InlineData("", @"ORD-\d+", "needs a name")]
    [InlineData("SSN", @"\d+", "built-in")]
    [InlineData("ORDER_ID", @"ORD-(\d+", "not a valid regular expression")]
    [InlineData("ORDER_ID", @"\d*", "matches empty text")]
    [InlineData("ORDER_ID", "", "is empty")]
    public void ValidatePattern_ReportsBadNamesAndRegexes(string name, string pattern, string? expected)
    {
        var message = Redactor.ValidatePattern(name, pattern);

        if (expected is null)
        {
            Assert.Null(message);
        }
        else
        {
            Assert.Contains(expected, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Find_Throws_WhenACustomPatternTimesOut_SoNothingHalfScannedIsSent()
    {
        // The look-ahead keeps this pattern on the backtracking engine, where (a|aa)+$ is catastrophic.
        var redactor = new Redactor(new RedactionOptions(), [new RedactionPattern("SLOW", @"(?=a)(a|aa)+$")]);

        Assert.Throws<RedactionScanException>(() => redactor.Find(new string('a', 60) + "!"));
    }

    [Fact]
    public void Constructor_RejectsAnInvalidAgentPattern()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Redactor(new RedactionOptions(), [new RedactionPattern("BAD", "(")]));

        Assert.Contains("BAD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ReportAnInvalidGlobalPattern_WhenValidated()
    {
        var options = new RedactionOptions { CustomPatterns = { ["bad name"] = "x" } };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Single(errors);
        Assert.Contains("AgentConsole:Redaction:CustomPatterns", errors[0].ErrorMessage, StringComparison.Ordinal);
    }
}
