using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Nudge.Server.Imports;
using Nudge.Storage.Imports;
using Spectre.Console;

namespace Nudge.Server.Cli;

/// <summary>The CLI's import through a running Nudge: uploads the file to <c>POST /api/imports</c> and follows <c>GET /api/imports/{id}</c>.</summary>
internal static class RemoteImport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(
        HttpClient http, ImportKind kind, string? format, ImportMapping mapping, FileInfo file, TimeSpan poll, IAnsiConsole console, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(kind.Name), "kind" },
            { new StringContent(mapping.ToJson()), "mapping" },
        };
        if (format is not null)
            form.Add(new StringContent(format), "format");
        await using var stream = file.OpenRead();
        var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue(format == ImportFormats.Ndjson ? "application/x-ndjson" : "text/csv");
        form.Add(content, "file", file.Name);

        using var response = await http.PostAsync("/api/imports", form, ct);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (problem.TryGetProperty("errors", out var errors))
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var message in field.Value.EnumerateArray())
                        await Console.Error.WriteLineAsync($"{field.Name}: {message.GetString()}");
                }
            }
            else
            {
                await Console.Error.WriteLineAsync(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : response.StatusCode.ToString());
            }
            return 2;
        }
        response.EnsureSuccessStatusCode();
        var view = (await response.Content.ReadFromJsonAsync<ImportView>(Json, ct))!;
        if (response.StatusCode == HttpStatusCode.OK && view.Status == ImportStatus.Completed)
        {
            console.MarkupLineInterpolated($"{file.Name} was imported on {view.FinishedAt:u}; nothing to do.");
            return ImportCommand.Report(view, console);
        }

        view = await ImportCommand.WithProgressAsync(console, file.Name, async report =>
        {
            while (view.Status == ImportStatus.Running)
            {
                report(view.Progress);
                await Task.Delay(poll, ct);
                view = (await http.GetFromJsonAsync<ImportView>($"/api/imports/{view.Id}", Json, ct))!;
            }
            report(view.Progress);
            return view;
        });
        return ImportCommand.Report(view, console);
    }
}
