using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Admin;

public sealed class OperationsTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer(string path)
    {
        using var client = nudge.CreateClient();
        var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_tracking_and_admin_apis()
    {
        using var client = nudge.CreateClient();
        var document = await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json", Ct);
        var paths = document!["paths"]!.AsObject();

        Assert.Contains("/v1/batch", paths.Select(p => p.Key));
        Assert.Contains("/api/profiles/{id}/events", paths.Select(p => p.Key));
    }

    [Fact]
    public async Task The_api_reference_page_is_served()
    {
        using var client = nudge.CreateClient();
        var response = await client.GetAsync("/api-reference", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
