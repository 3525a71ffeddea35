using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Ingestion;
using Nudge.Core.Segments;
using Nudge.Engine.Profiles;
using Nudge.Engine.Segments;
using Nudge.Server.Admin;
using Nudge.Storage.Profiles;
using Nudge.Storage.Segments;

namespace Nudge.Server.Segments;

/// <summary>Segments: definitions, background builds, members, dry runs.</summary>
public static class SegmentsApi
{
    private const int MaxPage = 1000;

    public static RouteGroupBuilder MapSegmentsApi(this RouteGroupBuilder api)
    {
        var segments = api.MapGroup("/segments").WithTags("Segments");
        segments.MapGet("/", ListAsync).WithSummary("Every segment of the workspace");
        segments.MapPost("/", CreateAsync).WithSummary("Create a segment; its members are built in the background");
        segments.MapPost("/preview", PreviewAsync).WithSummary("Dry run: how many profiles a definition matches now, with a sample");
        segments.MapGet("/schema", Schema).WithSummary("The JSON schema of segment definitions");
        segments.MapGet("/{id}", GetAsync).WithSummary("A segment, with its build progress");
        segments.MapPut("/{id}", UpdateAsync).WithSummary("Replace a segment's definition; a new version is built in the background");
        segments.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a segment and its members");
        segments.MapGet("/{id}/count", CountAsync).WithSummary("How many members the segment has");
        segments.MapGet("/{id}/members", MembersAsync).WithSummary("Members in profile id order, paged with after");
        segments.MapGet("/{id}/members.csv", ExportAsync).WithSummary("Every member as CSV");
        api.MapGet("/profiles/{id}/segments", ProfileSegmentsAsync).WithTags("Segments").WithSummary("The segments a profile belongs to (and left)");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<SegmentView>>> ListAsync(HttpContext http, SegmentStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<SegmentView>>((await store.ListAsync(AdminAuth.WorkspaceOf(http), ct)).Select(SegmentView.Of).ToList());

    private static async Task<Results<Created<SegmentView>, ValidationProblem>> CreateAsync(
        HttpContext http, JsonElement body, SegmentStore store, SegmentCatalog catalog, SegmentBuildReads reads, SegmentBuilds builds, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (Validate(body, null, catalog.For(workspace)) is { } invalid)
            return invalid;
        var name = body.GetProperty("name").GetString()!;
        var created = await catalog.ChangeAsync(
            async () => await store.CreateAsync(workspace, name, body.GetRawText(), await reads.LastSequenceAsync(ct), ct), ct);
        builds.Poke();
        return TypedResults.Created($"/api/segments/{created.Id}", SegmentView.Of(created));
    }

    private static async Task<Results<Ok<SegmentView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        HttpContext http, string id, JsonElement body, SegmentStore store, SegmentCatalog catalog, SegmentBuildReads reads, SegmentBuilds builds, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is null)
            return NotFound(id);
        if (Validate(body, id, catalog.For(workspace)) is { } invalid)
            return invalid;
        var name = body.GetProperty("name").GetString()!;
        var updated = await catalog.ChangeAsync(
            async () => await store.UpdateAsync(workspace, id, name, body.GetRawText(), await reads.LastSequenceAsync(ct), ct), ct);
        builds.Poke();
        return updated is null ? NotFound(id) : TypedResults.Ok(SegmentView.Of(updated));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        HttpContext http, string id, SegmentStore store, SegmentCatalog catalog, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        var dependents = catalog.For(workspace).InOrder.Where(s => s.ReadsSegments.Contains(id)).Select(s => s.Id).ToList();
        if (dependents.Count > 0)
        {
            return TypedResults.Problem(
                detail: $"segment '{id}' is used by {string.Join(", ", dependents)}; change those first", statusCode: 409, title: "Segment in use",
                extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }
        return await catalog.ChangeAsync(() => store.DeleteAsync(workspace, id, ct), ct) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<Results<Ok<SegmentView>, ProblemHttpResult>> GetAsync(HttpContext http, string id, SegmentStore store, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } found ? TypedResults.Ok(SegmentView.Of(found)) : NotFound(id);

    private static async Task<Results<Ok<CountView>, ProblemHttpResult>> CountAsync(
        HttpContext http, string id, SegmentStore store, SegmentMembers members, CancellationToken ct)
    {
        if (await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is not { } segment)
            return NotFound(id);
        return TypedResults.Ok(new CountView(id, await members.CountAsync(id, ct), SegmentView.Of(segment).Status));
    }

    private static async Task<Results<Ok<MembersPage>, ProblemHttpResult>> MembersAsync(
        HttpContext http, string id, string? after, int? limit, SegmentStore store, SegmentMembers members, CancellationToken ct)
    {
        if (await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is null)
            return NotFound(id);
        if (limit is < 1 or > MaxPage)
        {
            return TypedResults.Problem(detail: $"limit must be between 1 and {MaxPage}", statusCode: 400, title: "Invalid query",
                extensions: new Dictionary<string, object?> { ["field"] = "limit" });
        }

        var size = limit ?? 100;
        var page = await members.PageAsync(id, after, size, ct);
        return TypedResults.Ok(new MembersPage(
            page.Select(m => new MemberView(m.ProfileId, m.ChangedAt)).ToList(), page.Count == size ? page[^1].ProfileId : null));
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, string id, SegmentStore store, SegmentMembers members, ProfileStore profiles, CancellationToken ct)
    {
        if (await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is null)
            return NotFound(id);

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{id}-members.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
        await writer.WriteLineAsync("profile_id,email,phone,user_id,name,entered_at");
        string? after = null;
        while (await members.PageAsync(id, after, MaxPage, ct) is { Count: > 0 } page)
        {
            foreach (var member in page)
            {
                var p = await profiles.LoadAsync(member.ProfileId, ct);
                await writer.WriteLineAsync(string.Join(',',
                    Csv(member.ProfileId), Csv(p?.Email), Csv(p?.Phone), Csv(p?.UserId), Csv(p?.DisplayName),
                    member.ChangedAt.ToString("O", CultureInfo.InvariantCulture)));
            }
            after = page[^1].ProfileId;
        }
        return TypedResults.Empty;
    }

    private static async Task<Results<Ok<PreviewView>, ValidationProblem>> PreviewAsync(
        HttpContext http, JsonElement body, SegmentCatalog catalog, SegmentBuilds builds, int? sample, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (Validate(body, null, catalog.For(workspace)) is { } invalid)
            return invalid;
        var definition = SegmentDefinitionReader.Read(body).Definition!;
        var preview = await builds.PreviewAsync(workspace, definition.Condition, Math.Clamp(sample ?? 20, 0, 100), ct);
        return TypedResults.Ok(new PreviewView(preview.Count, preview.Evaluated, preview.Sample));
    }

    private static async Task<Results<Ok<IReadOnlyList<ProfileSegmentView>>, ProblemHttpResult>> ProfileSegmentsAsync(
        HttpContext http, string id, ProfileStore profiles, IGrainFactory grains, SegmentCatalog catalog, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await profiles.LoadAsync(id, ct) is not { } profile || profile.WorkspaceId != workspace)
        {
            return TypedResults.Problem(detail: $"no profile with id '{id}' in this workspace", statusCode: 404, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }

        // Asked of the grain, not the table: a change shows at once, the stored rows follow at the next checkpoint.
        var segments = catalog.For(workspace).ById;
        var rows = await grains.GetGrain<IProfileGrain>(profile.Id).GetSegmentsAsync();
        return TypedResults.Ok<IReadOnlyList<ProfileSegmentView>>(rows
            .Where(r => segments.ContainsKey(r.SegmentId))
            .OrderBy(r => r.SegmentId, StringComparer.Ordinal)
            .Select(r => new ProfileSegmentView(r.SegmentId, segments[r.SegmentId].Name, r.IsMember, r.ChangedAt))
            .ToList());
    }

    private static ContentHttpResult Schema() => TypedResults.Text(SegmentSchema.Json, "application/schema+json");

    /// <summary>Reads and checks a definition: the language, then references to other segments (unknown ids, cycles).</summary>
    private static ValidationProblem? Validate(JsonElement body, string? id, WorkspaceSegments segments)
    {
        var errors = new List<FieldError>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("", "the body must be a segment definition object"));
        }
        else
        {
            var read = SegmentDefinitionReader.Read(body);
            errors.AddRange(read.Errors);
            if (read.Definition is { } definition)
                errors.AddRange(SegmentGraph.Check(id ?? "(new segment)", definition.Condition, other => segments.ById.GetValueOrDefault(other)?.Condition));
        }

        if (errors.Count == 0)
            return null;
        return TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: "The segment definition is invalid; nothing was saved. Fix the fields listed in errors.",
            title: "Invalid segment definition");
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no segment with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "id" });

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        // A leading =, +, - or @ would run as a formula in a spreadsheet.
        var text = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
