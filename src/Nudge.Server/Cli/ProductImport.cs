using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Nudge.Server.Catalog;
using Spectre.Console;

namespace Nudge.Server.Cli;

/// <summary>
/// <c>nudge import products FILE</c>: products go to the catalog, not the event log, through the catalog's feed
/// import (<see cref="CatalogFeed"/>: same checks, same line errors, unchanged products not written again).
/// </summary>
internal static class ProductImport
{
    private const int ErrorsPrinted = 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The feed format of a file, from <c>--format</c> or its name; null when neither says.</summary>
    public static FeedFormat? Format(string? format, FileInfo file) => CatalogFeed.FormatOf(format, file.Name, null);

    /// <summary>Imports the file into the catalog of a stopped Nudge's database.</summary>
    public static async Task<int> DirectAsync(CatalogFeed feed, string workspaceId, FeedFormat format, FileInfo file, IAnsiConsole console, CancellationToken ct)
    {
        await using var stream = file.OpenRead();
        var (result, problem) = await feed.RunAsync(workspaceId, format, stream, ct);
        if (problem is { } p)
        {
            await Console.Error.WriteLineAsync($"{p.Field}: {p.Message}");
            return 2;
        }
        return Report(result!, console);
    }

    /// <summary>Sends the file to a running Nudge's <c>POST /api/catalog/feeds</c>.</summary>
    public static async Task<int> RemoteAsync(HttpClient http, FeedFormat format, FileInfo file, IAnsiConsole console, CancellationToken ct)
    {
        await using var stream = file.OpenRead();
        using var form = new MultipartFormDataContent();
        var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue(format switch
        {
            FeedFormat.Csv => "text/csv",
            FeedFormat.Json => "application/json",
            _ => "application/x-ndjson",
        });
        form.Add(content, "file", file.Name);
        using var response = await http.PostAsync($"/api/catalog/feeds?format={format.ToString().ToLowerInvariant()}", form, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await Console.Error.WriteLineAsync($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            return 2;
        }
        return Report((await response.Content.ReadFromJsonAsync<FeedResult>(Json, ct))!, console);
    }

    private static int Report(FeedResult result, IAnsiConsole console)
    {
        console.MarkupLineInterpolated(
            $"{result.Rows:N0} rows: {result.Created:N0} products created, {result.Updated:N0} updated, {result.Unchanged:N0} unchanged, {result.Errors.Count + result.ErrorsNotShown:N0} bad rows.");
        foreach (var error in result.Errors.Take(ErrorsPrinted))
            console.MarkupLineInterpolated($"  line {error.Line}, {error.Field}: {error.Message}");
        return 0;
    }
}
