using System.Text.Json;
using System.Text.Json.Nodes;
using Nudge.Server.Tests.Support;

namespace Nudge.Server.Tests.Contracts;

/// <summary>
/// The OpenAPI document is a contract with every API client: a change to it must be deliberate. When this
/// test fails, compare <c>openapi.v1.received.json</c> with the snapshot and copy it over if the change is intended.
/// </summary>
public sealed class OpenApiSnapshotTests(NudgeApi nudge) : IClassFixture<NudgeApi>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task The_openapi_document_matches_its_snapshot()
    {
        using var client = nudge.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        // The server address depends on how the test host is reached, not on the API.
        document.AsObject().Remove("servers");
        var actual = document.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

        var snapshot = Path.Combine(SourceFolder(), "openapi.v1.json");
        var expected = File.Exists(snapshot) ? await File.ReadAllTextAsync(snapshot, TestContext.Current.CancellationToken) : "";
        if (expected != actual)
            await File.WriteAllTextAsync(Path.Combine(SourceFolder(), "openapi.v1.received.json"), actual, TestContext.Current.CancellationToken);

        Assert.True(expected == actual, $"The OpenAPI document changed; see {Path.Combine(SourceFolder(), "openapi.v1.received.json")}");
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
