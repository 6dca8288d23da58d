using System.Net;
using System.Text.Json;

namespace AgentConsole.Tests.Hosting;

/// <summary>Asserts that a response is an RFC 9457 problem+json body with the expected status, and returns it.</summary>
public static class ProblemJson
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    public static string Detail(this JsonElement problem) =>
        problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";

    /// <summary>The names of the fields a validation problem's <c>errors</c> object reports.</summary>
    public static IReadOnlyList<string> ErrorFields(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
