using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentConsole.Engine.Access;
using AgentConsole.Engine.Agents;
using AgentConsole.Engine.Demo;
using AgentConsole.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Tools.Knowledge;

/// <summary>The knowledge API over the real Kestrel host: problem+json for every refusal, roles like the agent endpoints.</summary>
[Collection(ConsoleHostGroup.Name)]
public sealed class KnowledgeApiTests(ConsoleHostFixture host) : IAsyncLifetime
{
    private readonly HttpClient _client = host.CreateClient(ConsoleHostFixture.AdminApiKey);
    private string _agent = "";
    private string _other = "";

    private string Base => $"/api/v1/agents/{_agent}/knowledge";

    public async Task InitializeAsync()
    {
        _agent = await CreateAgentAsync();
        _other = await CreateAgentAsync();
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> CreateAgentAsync()
    {
        var definition = DemoWorkspace.LeadRouter();
        definition.Key = $"kb-{Guid.NewGuid():N}"[..16];
        definition.Name = $"Knowledge {definition.Key}";
        definition.EngineRoutes = [];
        // No grants: the shared host's Tools page lists only the demo's grants to later tests.
        definition.Tools = [];
        var created = await host.Services.GetRequiredService<AgentCatalog>().CreateAsync(definition, "system");
        Assert.True(created.Agent is not null, created.Message);
        return created.Agent.Key;
    }

    private Task<HttpResponseMessage> PostJsonAsync(object body, string? agent = null) =>
        _client.PostAsJsonAsync($"/api/v1/agents/{agent ?? _agent}/knowledge", body);

    private async Task<HttpResponseMessage> PostFileAsync(string fileName, byte[] content, string? title = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        form.Add(file, "file", fileName);
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }

        return await _client.PostAsync(Base, form);
    }

    [Fact]
    public async Task UploadListSearchDelete_WorkEndToEnd()
    {
        using var created = await PostJsonAsync(new { title = "Returns policy", fileName = "returns.md", content = "# Returns\n\n## Refunds\nCustomers get a full refund within 30 days.\n\n## Exchanges\nFree exchanges." });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("document").GetProperty("id").GetGuid();
        Assert.Equal($"{Base}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(2, body.GetProperty("document").GetProperty("chunkCount").GetInt32());
        Assert.Contains("2 passages", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        var list = await _client.GetFromJsonAsync<JsonElement>(Base);
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(("Returns policy", "returns.md"), (listed.GetProperty("title").GetString(), listed.GetProperty("fileName").GetString()));
        Assert.StartsWith("api-key:", listed.GetProperty("uploadedBy").GetString(), StringComparison.Ordinal);

        var search = await _client.GetFromJsonAsync<JsonElement>($"{Base}/search?q=refunded&limit=3");
        Assert.Equal("Bm25", search.GetProperty("mode").GetString());
        var hit = search.GetProperty("hits")[0];
        Assert.Equal(("Returns policy", "Returns › Refunds"), (hit.GetProperty("documentTitle").GetString(), hit.GetProperty("headingPath").GetString()));
        Assert.Contains("**refund**", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);

        using var deleted = await _client.DeleteAsync($"{Base}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>(Base)).EnumerateArray());
        var empty = await _client.GetFromJsonAsync<JsonElement>($"{Base}/search?q=refund");
        Assert.Equal(0, empty.GetProperty("documents").GetInt32());
        Assert.Contains("empty", empty.GetProperty("ranking").GetString(), StringComparison.Ordinal);
        using var again = await _client.DeleteAsync($"{Base}/{id}");
        await ProblemJson.ReadAsync(again, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Upload_AcceptsAMultipartFile()
    {
        using var response = await PostFileAsync("handbook.markdown", Encoding.UTF8.GetBytes("# Handbook\nTravel is booked by the office."), "Staff handbook");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("document");
        Assert.Equal(("Staff handbook", "handbook.markdown"), (document.GetProperty("title").GetString(), document.GetProperty("fileName").GetString()));
    }

    [Fact]
    public async Task Upload_RefusesBadFiles_WithProblemJson()
    {
        using var pdf = await PostJsonAsync(new { fileName = "scan.pdf", content = "text" });
        using var binary = await PostFileAsync("image.md", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A, 0x0A]);
        using var latin1 = await PostFileAsync("preise.txt", Encoding.Latin1.GetBytes("Größen über 50"));
        using var large = await PostFileAsync("big.md", Encoding.UTF8.GetBytes(new string('a', 524_289)));
        using var blank = await PostJsonAsync(new { fileName = "empty.md", content = "   \n" });
        using var missing = await PostJsonAsync(new { fileName = "none.md" });

        Assert.Equal(["fileName"], (await ProblemJson.ReadAsync(pdf, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("binary", (await ProblemJson.ReadAsync(binary, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("content")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("not UTF-8", (await ProblemJson.ReadAsync(latin1, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("content")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("at most 524,288 bytes", (await ProblemJson.ReadAsync(large, HttpStatusCode.RequestEntityTooLarge)).Detail(), StringComparison.Ordinal);
        Assert.Equal(["content"], (await ProblemJson.ReadAsync(blank, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(["content"], (await ProblemJson.ReadAsync(missing, HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>(Base)).EnumerateArray());
    }

    [Fact]
    public async Task Upload_RefusesADuplicate_AnUnknownAgent_AndBodiesThatAreNotADocument()
    {
        using var first = await PostJsonAsync(new { fileName = "a.md", content = "Only once." });
        using var duplicate = await PostJsonAsync(new { fileName = "b.md", content = "Only once." });
        using var unknown = await PostJsonAsync(new { fileName = "a.md", content = "Text." }, agent: "no-such-agent");
        using var plain = await _client.PostAsync(Base, new StringContent("just text", Encoding.UTF8, "text/plain"));
        using var broken = await _client.PostAsync(Base, new StringContent("{\"fileName\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("already in the knowledge base", (await ProblemJson.ReadAsync(duplicate, HttpStatusCode.Conflict)).Detail(), StringComparison.Ordinal);
        await ProblemJson.ReadAsync(unknown, HttpStatusCode.NotFound);
        await ProblemJson.ReadAsync(plain, HttpStatusCode.UnsupportedMediaType);
        await ProblemJson.ReadAsync(broken, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_RefusesAnEmptyQuery_AndTreatsFtsSyntaxAsText()
    {
        using var created = await PostJsonAsync(new { fileName = "shipping.md", content = "# Shipping\nExpress delivery arrives the next day." });
        using var none = await _client.GetAsync($"{Base}/search");
        using var punctuation = await _client.GetAsync($"{Base}/search?q={Uri.EscapeDataString("\"()*:^")}");
        using var syntax = await _client.GetAsync($"{Base}/search?q={Uri.EscapeDataString("NEAR(express \"delivery) Text:next OR")}");

        await ProblemJson.ReadAsync(none, HttpStatusCode.BadRequest);
        await ProblemJson.ReadAsync(punctuation, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, syntax.StatusCode);
        Assert.Equal("shipping", (await syntax.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hits")[0].GetProperty("documentTitle").GetString());
    }

    [Fact]
    public async Task Search_OfOneAgent_NeverReturnsAnotherAgentsDocuments()
    {
        using var created = await PostJsonAsync(new { fileName = "falcon.md", content = "Project Falcon launches in March." });

        var mine = await _client.GetFromJsonAsync<JsonElement>($"{Base}/search?q=falcon");
        var theirs = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{_other}/knowledge/search?q=falcon");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("document").GetProperty("id").GetGuid();
        using var crossDelete = await _client.DeleteAsync($"/api/v1/agents/{_other}/knowledge/{id}");

        Assert.Single(mine.GetProperty("hits").EnumerateArray());
        Assert.Empty(theirs.GetProperty("hits").EnumerateArray());
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>($"/api/v1/agents/{_other}/knowledge")).EnumerateArray());
        await ProblemJson.ReadAsync(crossDelete, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AManager_ReadsAndSearches_ButCannotUploadOrDelete()
    {
        using var created = await PostJsonAsync(new { fileName = "hours.md", content = "Support answers from 8 to 18." });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("document").GetProperty("id").GetGuid();
        using var manager = await CookieSession.SignInAsync(host, Roles.Manager);

        using var list = await manager.Client.GetAsync(Base);
        using var search = await manager.Client.GetAsync($"{Base}/search?q=support");
        using var upload = await manager.Client.PostAsJsonAsync(Base, new { fileName = "x.md", content = "x" });
        using var delete = await manager.Client.DeleteAsync($"{Base}/{id}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        await ProblemJson.ReadAsync(upload, HttpStatusCode.Forbidden);
        await ProblemJson.ReadAsync(delete, HttpStatusCode.Forbidden);
        Assert.Single((await _client.GetFromJsonAsync<JsonElement>(Base)).EnumerateArray());
    }
}
