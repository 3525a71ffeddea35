using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Imports;

/// <summary>Starting imports through the API and waiting for them, for the tests.</summary>
internal static class Imports
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<HttpResponseMessage> PostAsync(NudgeApi nudge, string kind, string fileName, string content, string? mapping = null, string? format = null)
    {
        using var admin = nudge.Admin();
        using var form = new MultipartFormDataContent { { new StringContent(kind), "kind" } };
        if (mapping is not null)
            form.Add(new StringContent(mapping), "mapping");
        if (format is not null)
            form.Add(new StringContent(format), "format");
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", fileName);
        return await admin.PostAsync("/api/imports", form, Ct);
    }

    /// <summary>Imports a file and waits until it is done; returns the finished import.</summary>
    public static async Task<JsonObject> RunAsync(NudgeApi nudge, string kind, string fileName, string content, string? mapping = null)
    {
        var response = await PostAsync(nudge, kind, fileName, content, mapping);
        var started = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, started!.ToJsonString());
        return await FinishedAsync(nudge, (string)started["id"]!);
    }

    public static async Task<JsonObject> FinishedAsync(NudgeApi nudge, string id)
    {
        using var admin = nudge.Admin();
        return (await Eventually.ReadUntilAsync(
            ct => admin.GetFromJsonAsync<JsonObject>($"/api/imports/{id}", ct), i => (string?)i!["status"] != "running", Ct))!;
    }
}
