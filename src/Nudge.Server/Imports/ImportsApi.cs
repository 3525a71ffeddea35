using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Nudge.Server.Admin;
using Nudge.Server.Lists;
using Nudge.Storage.Imports;

namespace Nudge.Server.Imports;

/// <summary>History imports of customers and orders from CSV or NDJSON files (ADR 0017).</summary>
public static class ImportsApi
{
    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Imports");
        imports.MapPost("/", StartAsync)
            .WithSummary("Import past customers or orders: a multipart form with kind (customers or orders), optional format (csv or ndjson) " +
                "and mapping (JSON object of field to column), and the file; runs in the background, resumes after a restart, and the same " +
                "file again changes nothing")
            .Accepts<ImportForm>("multipart/form-data")
            .Produces<ImportView>().Produces<ImportView>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        imports.MapGet("/", ListAsync).WithSummary("The workspace's imports, newest first");
        imports.MapGet("/{id}", GetAsync).WithSummary("An import: status, progress, counts and the bad rows with line, field and reason")
            .Produces<ImportView>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ImportView>>> ListAsync(HttpContext http, ImportStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ImportView>>((await store.ListAsync(AdminAuth.WorkspaceOf(http), 100, ct)).Select(ImportView.Of).ToList());

    private static async Task<Results<Ok<ImportView>, ProblemHttpResult>> GetAsync(HttpContext http, string id, ImportStore store, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } import
            ? TypedResults.Ok(ImportView.Of(import))
            : TypedResults.Problem(detail: $"no import '{id}'", statusCode: 404, title: "Not found", extensions: new Dictionary<string, object?> { ["field"] = "id" });

    private static async Task<IResult> StartAsync(
        HttpContext http, ImportStarter starter, ImportRunner runner, ImportStore store, ImportsOptions options, CancellationToken ct)
    {
        var errors = new Errors();
        var boundary = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (type?.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true || string.IsNullOrEmpty(boundary))
            return Invalid("body", "must be a multipart form with the fields kind, format, mapping and file");

        // Files of a million orders are larger than the default request limit; they are streamed to disk, never held in memory.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = options.MaxFileBytes;

        Directory.CreateDirectory(options.Folder);
        var upload = Path.Combine(options.Folder, $"upload-{Guid.CreateVersion7():N}");
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? fileName = null;
        var keep = false;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } name)
                    continue;
                if (disposition.IsFileDisposition())
                {
                    fileName = disposition.FileName.Value ?? disposition.FileNameStar.Value ?? "upload";
                    await using var file = File.Create(upload);
                    await section.Body.CopyToAsync(file, ct);
                }
                else
                {
                    using var text = new StreamReader(section.Body);
                    fields[name] = await text.ReadToEndAsync(ct);
                }
            }

            if (fileName is null)
                errors.Add("file", "attach the file to import to the form");
            var kind = ImportKind.Find(fields.GetValueOrDefault("kind"));
            if (kind is null)
                errors.Add("kind", $"must be one of {ImportKind.Names}");
            var format = ImportFormats.Read(fields.GetValueOrDefault("format"));
            if (format == "")
                errors.Add("format", "must be csv or ndjson");
            var mapping = ImportMapping.None;
            if (kind is not null && fields.GetValueOrDefault("mapping") is { Length: > 0 } mappingText)
            {
                try
                {
                    using var json = JsonDocument.Parse(mappingText);
                    mapping = ImportMapping.Read(kind, json.RootElement, errors.Add);
                }
                catch (JsonException)
                {
                    errors.Add("mapping", "is not JSON; send an object of field to column names, e.g. {\"email\": \"E-Mail\"}");
                }
            }
            if (errors.Any)
                return Invalid(errors);

            var workspace = AdminAuth.WorkspaceOf(http);
            if (await starter.StartAsync(workspace, kind!, format, mapping, upload, Path.GetFileName(fileName!), upload, errors, ct) is not var (import, created))
                return Invalid(errors);

            if (import.Status == ImportStatus.Completed)
                return TypedResults.Ok(ImportView.Of(import));
            if (created || !runner.IsActive(import.Id))
            {
                // A new import, or one a stop interrupted whose upload is gone: this upload is the same file.
                if (!created && (import.FilePath is null || !File.Exists(import.FilePath)))
                {
                    await store.SetFileAsync(import.Id, upload, ct);
                    import = import with { FilePath = upload };
                }
                keep = import.FilePath == upload;
                runner.Enqueue(import);
            }
            return TypedResults.Accepted($"/api/imports/{import.Id}", ImportView.Of(import));
        }
        catch (BadHttpRequestException ex)
        {
            return Invalid("file", ex.Message);
        }
        finally
        {
            if (!keep)
                File.Delete(upload);
        }
    }

    private static ValidationProblem Invalid(string field, string message)
    {
        var errors = new Errors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    private static ValidationProblem Invalid(Errors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(),
            detail: "The file cannot be imported; nothing was imported. Fix the fields listed in errors.", title: "Invalid import");
}

/// <summary>The form of <c>POST /api/imports</c> (for the API description).</summary>
/// <param name="Kind">customers or orders.</param>
/// <param name="Format">csv or ndjson; guessed from the file's name or first byte when left out.</param>
/// <param name="Mapping">JSON object of field to column name, e.g. {"email": "E-Mail", "order_id": "Name"}.</param>
/// <param name="File">The file.</param>
public sealed record ImportForm(string Kind, string? Format, string? Mapping, IFormFile File);
