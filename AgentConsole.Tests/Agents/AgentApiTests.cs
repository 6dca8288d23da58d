using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;

namespace AgentConsole.Tests.Agents;

[Collection(ConsoleHostGroup.Name)]
public sealed class AgentApiTests(ConsoleHostFixture host) : IDisposable
{
    private const string Agents = "/api/v1/agents";
    private readonly HttpClient _client = host.CreateClient(ConsoleHostFixture.AdminApiKey);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task ListAgents_IncludesSeededLeadRouter_WithItsEightInputFields()
    {
        using var response = await _client.GetAsync(Agents);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var leadRouter = Assert.Single(body.RootElement.EnumerateArray(), a => a.GetProperty("key").GetString() == DemoWorkspace.LeadRouterKey);
        Assert.Equal("Inbound lead router", leadRouter.GetProperty("name").GetString());
        Assert.Equal("Pilot", leadRouter.GetProperty("status").GetString());
        Assert.Equal("ExternalLowStakes", leadRouter.GetProperty("autonomyLevel").GetString());
        var fields = leadRouter.GetProperty("inputFields").EnumerateArray().ToList();
        Assert.Equal(
            ["name", "email", "company", "employees", "industry", "source", "message", "notes"],
            fields.Select(f => f.GetProperty("name").GetString()));
        var employees = fields.Single(f => f.GetProperty("name").GetString() == "employees");
        Assert.Equal("Number", employees.GetProperty("type").GetString());
        Assert.True(employees.GetProperty("required").GetBoolean());
        Assert.All(fields.Where(f => f.GetProperty("name").GetString() != "employees"),
            f => Assert.Equal("Text", f.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task GetAgent_ReturnsAgentWithRevisionAsETag()
    {
        using var response = await _client.GetAsync($"{Agents}/{DemoWorkspace.LeadRouterKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var agent = await ReadAsync(response);
        Assert.Equal(DemoWorkspace.LeadRouterKey, agent.GetProperty("key").GetString());
        Assert.Equal($"\"{agent.GetProperty("revision").GetInt32()}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task GetAgent_Returns404ProblemJson_WhenKeyIsUnknown()
    {
        using var response = await _client.GetAsync($"{Agents}/no-such-agent");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no-such-agent", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAgent_Returns201WithLocationAndETag_AndRoundTripsTheBody()
    {
        var key = NewKey();
        var definition = ValidAgent(key);

        using var response = await PostAsync(definition);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"{Agents}/{key}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var created = await ReadAsync(response);
        AssertMatches(definition, created);
        Assert.Equal(1, created.GetProperty("revision").GetInt32());
        Assert.Equal("api-key:Bootstrap key", created.GetProperty("createdBy").GetString());

        // What the API stored is what a later read returns.
        using var read = await _client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        AssertMatches(definition, await ReadAsync(read));
    }

    [Fact]
    public async Task CreateAgent_AppliesPracticeGuideDefaults_WhenLimitsAreOmitted()
    {
        var key = NewKey();

        using var response = await PostAsync(new JsonObject { ["key"] = key, ["name"] = "Minimal agent" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ReadAsync(response);
        Assert.Equal(15, created.GetProperty("maxSteps").GetInt32());
        Assert.Equal(2.00m, created.GetProperty("budgetPerRunUsd").GetDecimal());
        Assert.Equal(300, created.GetProperty("wallClockLimitSeconds").GetInt32());
        Assert.Equal("Draft", created.GetProperty("status").GetString());
        Assert.Equal("ReadOnlyResearch", created.GetProperty("autonomyLevel").GetString());
        Assert.Equal(0, created.GetProperty("inputFields").GetArrayLength());

        using var read = await _client.GetAsync($"{Agents}/{key}");
        var stored = await ReadAsync(read);
        Assert.Equal(15, stored.GetProperty("maxSteps").GetInt32());
        Assert.Equal(2.00m, stored.GetProperty("budgetPerRunUsd").GetDecimal());
    }

    [Theory]
    [InlineData("maxSteps", "0", "maxSteps")]
    [InlineData("maxSteps", "51", "maxSteps")]
    [InlineData("budgetPerRunUsd", "0", "budgetPerRunUsd")]
    [InlineData("budgetPerRunUsd", "101", "budgetPerRunUsd")]
    [InlineData("wallClockLimitSeconds", "5", "wallClockLimitSeconds")]
    [InlineData("key", "\"Bad Key\"", "key")]
    [InlineData("name", null, "name")]
    [InlineData("name", "\"   \"", "name")]
    [InlineData("status", "7", "status")]
    [InlineData("inputFields", """[{"name":"company"},{"name":"Company"}]""", "inputFields[1].name")]
    [InlineData("inputFields", """[{"name":"ok"},{"name":"has space"}]""", "inputFields[1].name")]
    [InlineData("model", "\"no-such-provider\"", "model")]
    [InlineData("tools", """["crm_find_company","launch_rockets"]""", "tools[1]")]
    [InlineData("tools", """["crm_find_company","crm_find_company"]""", "tools[1]")]
    [InlineData("engineRoutes", """[{"decision":"lead-routing","value":""}]""", "engineRoutes[0].value")]
    [InlineData("redactionPatterns", """[{"name":"ORDER_ID","pattern":"(unclosed"}]""", "redactionPatterns[0].pattern")]
    [InlineData("redactionPatterns", """[{"name":"order id","pattern":"ORD-\\d+"}]""", "redactionPatterns[0].name")]
    public async Task CreateAgent_Returns400ValidationProblem_NamingTheInvalidField(string property, string? json, string expectedError)
    {
        var key = NewKey();
        var definition = ValidAgent(key);
        if (json is null)
        {
            definition.Remove(property);
        }
        else
        {
            definition[property] = JsonNode.Parse(json);
        }

        using var response = await PostAsync(definition);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([expectedError], problem.ErrorFields());
        Assert.All(problem.GetProperty("errors").GetProperty(expectedError).EnumerateArray(),
            message => Assert.False(string.IsNullOrWhiteSpace(message.GetString())));
        await AssertAgentDoesNotExistAsync(key);
    }

    [Fact]
    public async Task CreateAgent_Returns400_WhenItHasMoreRedactionPatternsThanConfigured()
    {
        var key = NewKey();
        var definition = ValidAgent(key);
        var limit = Engine.Runs.Redaction.RedactionOptions.DefaultMaxCustomPatterns;
        definition["redactionPatterns"] = new JsonArray([.. Enumerable.Range(1, limit + 1)
            .Select(i => (JsonNode)new JsonObject { ["name"] = $"CODE_{i}", ["pattern"] = $"C{i}-\\d{{4}}" })]);

        using var response = await PostAsync(definition);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["redactionPatterns"], problem.ErrorFields());
        Assert.Contains($"At most {limit}", problem.GetProperty("errors").GetProperty("redactionPatterns")[0].GetString(), StringComparison.Ordinal);
        await AssertAgentDoesNotExistAsync(key);
    }

    [Fact]
    public async Task CreateAgent_ReportsEveryInvalidField_InOneProblem()
    {
        var definition = ValidAgent("Bad Key");
        definition["maxSteps"] = 0;
        definition["budgetPerRunUsd"] = 101;
        definition.Remove("name");

        using var response = await PostAsync(definition);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["budgetPerRunUsd", "key", "maxSteps", "name"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("purpose")]
    [InlineData("model")]
    [InlineData("inputFields")]
    public async Task CreateAgent_TreatsExplicitNullOptionalProperty_AsEmpty(string property)
    {
        var key = NewKey();
        var definition = ValidAgent(key);
        definition[property] = null;

        using var response = await PostAsync(definition);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await ReadAsync(response);
        switch (property)
        {
            case "purpose":
                Assert.Equal("", created.GetProperty("purpose").GetString());
                break;
            case "model":
                Assert.Equal(JsonValueKind.Null, created.GetProperty("model").ValueKind);
                break;
            default:
                Assert.Equal(0, created.GetProperty("inputFields").GetArrayLength());
                break;
        }
    }

    [Fact]
    public async Task UpdateAgent_TreatsExplicitNullPurposeAndInputFields_AsEmpty()
    {
        var key = NewKey();
        await CreateAsync(key);
        var edited = ValidAgent(key);
        edited["purpose"] = null;
        edited["inputFields"] = null;

        using var response = await PutAsync(key, edited, ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await ReadAsync(response);
        Assert.Equal("", updated.GetProperty("purpose").GetString());
        Assert.Equal(0, updated.GetProperty("inputFields").GetArrayLength());
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task CreateAgent_Returns400ProblemJson_WhenBodyIsNotAnAgentObject(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync(Agents, content);

        await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateAgent_Returns415ProblemJson_WhenBodyIsNotJson()
    {
        using var content = new StringContent("key=form-agent&name=Form", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await _client.PostAsync(Agents, content);

        await ProblemJson.ReadAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertAgentDoesNotExistAsync("form-agent");
    }

    [Fact]
    public async Task UnknownApiRoute_Returns404ProblemJson()
    {
        using var response = await _client.GetAsync("/api/v1/no-such-resource");

        await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnsupportedMethod_Returns405ProblemJson()
    {
        using var response = await _client.DeleteAsync($"{Agents}/{DemoWorkspace.LeadRouterKey}");

        await ProblemJson.ReadAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task CreateAgent_Returns409_WhenKeyExists()
    {
        var key = NewKey();
        using (var first = await PostAsync(ValidAgent(key)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var duplicate = ValidAgent(key);
        duplicate["name"] = "Someone else's agent";
        using var response = await PostAsync(duplicate);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(key, problem.Detail(), StringComparison.Ordinal);
        using var read = await _client.GetAsync($"{Agents}/{key}");
        Assert.Equal("Invoice triage", (await ReadAsync(read)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task CreateAgent_Returns409_WhenKeyDiffersOnlyInCase()
    {
        using var response = await PostAsync(ValidAgent("  LEAD-Router "));

        await ProblemJson.ReadAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdateAgent_SavesTheDefinition_AndBumpsTheETag()
    {
        var key = NewKey();
        await CreateAsync(key);
        var edited = ValidAgent(key);
        edited["name"] = "Invoice triage v2";
        edited["maxSteps"] = 30;
        edited["status"] = "Live";

        using var response = await PutAsync(key, edited, ifMatch: "\"1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var updated = await ReadAsync(response);
        AssertMatches(edited, updated);
        Assert.Equal(2, updated.GetProperty("revision").GetInt32());

        using var read = await _client.GetAsync($"{Agents}/{key}");
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        AssertMatches(edited, await ReadAsync(read));
    }

    [Fact]
    public async Task UpdateAgent_Returns412_WhenIfMatchIsStale()
    {
        var key = NewKey();
        await CreateAsync(key);
        var first = ValidAgent(key);
        first["name"] = "First editor's name";
        using (var saved = await PutAsync(key, first, ifMatch: "\"1\""))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        var second = ValidAgent(key);
        second["name"] = "Second editor's name";
        using var response = await PutAsync(key, second, ifMatch: "\"1\"");

        await ProblemJson.ReadAsync(response, HttpStatusCode.PreconditionFailed);
        using var read = await _client.GetAsync($"{Agents}/{key}");
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        Assert.Equal("First editor's name", (await ReadAsync(read)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task UpdateAgent_Returns400_WhenIfMatchIsNotAnETag()
    {
        var key = NewKey();
        await CreateAsync(key);

        using var response = await PutAsync(key, ValidAgent(key), ifMatch: "yesterday");

        await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UpdateAgent_Returns400_WhenBodyChangesTheKey()
    {
        var key = NewKey();
        await CreateAsync(key);

        using var response = await PutAsync(key, ValidAgent(NewKey()), ifMatch: "\"1\"");

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["key"], problem.ErrorFields());
        using var read = await _client.GetAsync($"{Agents}/{key}");
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task UpdateAgent_Returns404ProblemJson_WhenKeyIsUnknown()
    {
        var key = NewKey();

        using var response = await PutAsync(key, ValidAgent(key), ifMatch: null);

        await ProblemJson.ReadAsync(response, HttpStatusCode.NotFound);
        await AssertAgentDoesNotExistAsync(key);
    }

    [Fact]
    public async Task CreateAgent_Returns400ProblemJson_WhenBodyIsMalformedJson()
    {
        using var content = new StringContent("""{"key": "broken-json", "name": """, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync(Agents, content);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", problem.Detail(), StringComparison.Ordinal);
        await AssertAgentDoesNotExistAsync("broken-json");
    }

    [Fact]
    public async Task CreateAgent_Returns400ProblemJson_WhenBodyIsMalformedAndClientAcceptsOnlyText()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Agents)
        {
            Content = new StringContent("{not json", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("text/plain");

        using var response = await _client.SendAsync(request);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAgent_Returns400ProblemJson_WhenEnumValueIsUnknown()
    {
        var key = NewKey();
        var definition = ValidAgent(key);
        definition["autonomyLevel"] = "Reckless";

        using var response = await PostAsync(definition);

        var problem = await ProblemJson.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("JSON", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("autonomyLevel", problem.Detail(), StringComparison.Ordinal);
        await AssertAgentDoesNotExistAsync(key);
    }

    [Fact]
    public async Task CreateAgent_Returns413ProblemJson_WhenBodyExceedsOneMebibyte()
    {
        var key = NewKey();
        var definition = ValidAgent(key);
        definition["purpose"] = new string('x', 1_100_000);

        using var response = await PostAsync(definition);

        await ProblemJson.ReadAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertAgentDoesNotExistAsync(key);
    }

    private static string NewKey() => $"t-{Guid.NewGuid():N}";

    private static JsonObject ValidAgent(string key) => new()
    {
        ["key"] = key,
        ["name"] = "Invoice triage",
        ["purpose"] = "Sorts incoming invoices by amount and vendor.",
        ["status"] = "Pilot",
        ["autonomyLevel"] = "ExternalLowStakes",
        ["maxSteps"] = 20,
        ["budgetPerRunUsd"] = 3.5m,
        ["wallClockLimitSeconds"] = 600,
        ["model"] = "openai",
        ["inputFields"] = new JsonArray(
            new JsonObject { ["name"] = "amount", ["type"] = "Number", ["required"] = true, ["description"] = "Invoice total" },
            new JsonObject { ["name"] = "vendor", ["type"] = "Text", ["required"] = false, ["description"] = null }),
    };

    private static void AssertMatches(JsonObject expected, JsonElement actual)
    {
        Assert.Equal((string)expected["key"]!, actual.GetProperty("key").GetString());
        Assert.Equal((string)expected["name"]!, actual.GetProperty("name").GetString());
        Assert.Equal((string)expected["purpose"]!, actual.GetProperty("purpose").GetString());
        Assert.Equal((string)expected["status"]!, actual.GetProperty("status").GetString());
        Assert.Equal((string)expected["autonomyLevel"]!, actual.GetProperty("autonomyLevel").GetString());
        Assert.Equal((int)expected["maxSteps"]!, actual.GetProperty("maxSteps").GetInt32());
        Assert.Equal((decimal)expected["budgetPerRunUsd"]!, actual.GetProperty("budgetPerRunUsd").GetDecimal());
        Assert.Equal((int)expected["wallClockLimitSeconds"]!, actual.GetProperty("wallClockLimitSeconds").GetInt32());
        Assert.Equal((string?)expected["model"], actual.GetProperty("model").GetString());
        var expectedFields = expected["inputFields"]!.AsArray();
        var actualFields = actual.GetProperty("inputFields").EnumerateArray().ToList();
        Assert.Equal(expectedFields.Count, actualFields.Count);
        for (var i = 0; i < actualFields.Count; i++)
        {
            Assert.Equal((string)expectedFields[i]!["name"]!, actualFields[i].GetProperty("name").GetString());
            Assert.Equal((string)expectedFields[i]!["type"]!, actualFields[i].GetProperty("type").GetString());
            Assert.Equal((bool)expectedFields[i]!["required"]!, actualFields[i].GetProperty("required").GetBoolean());
            Assert.Equal((string?)expectedFields[i]!["description"], actualFields[i].GetProperty("description").GetString());
        }
    }

    private async Task CreateAsync(string key)
    {
        using var response = await PostAsync(ValidAgent(key));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject body) => _client.PostAsJsonAsync(Agents, body);

    private Task<HttpResponseMessage> PutAsync(string key, JsonObject body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{Agents}/{key}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return SendAndDisposeRequestAsync(request);
    }

    private async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await _client.SendAsync(request);
        }
    }

    private async Task AssertAgentDoesNotExistAsync(string key)
    {
        using var response = await _client.GetAsync($"{Agents}/{Uri.EscapeDataString(key)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
