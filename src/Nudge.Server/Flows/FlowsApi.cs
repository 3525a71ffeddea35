using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Flows;
using Nudge.Core.Ingestion;
using Nudge.Engine.Flows;
using Nudge.Engine.Profiles;
using Nudge.Server.Admin;
using Nudge.Storage.Flows;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Flows;

/// <summary>Flows: definitions with versions, activation, runs and their history.</summary>
public static class FlowsApi
{
    private const int MaxPage = 1000;

    public static RouteGroupBuilder MapFlowsApi(this RouteGroupBuilder api)
    {
        var flows = api.MapGroup("/flows").WithTags("Flows");
        flows.MapGet("/", ListAsync).WithSummary("Every flow of the workspace");
        flows.MapPost("/", CreateAsync).WithSummary("Create a flow (a draft: activate it to start runs)");
        flows.MapGet("/schema", Schema).WithSummary("The JSON schema of flow definitions");
        flows.MapGet("/{id}", GetAsync).WithSummary("A flow, with per-step counts of its runs");
        flows.MapPut("/{id}", UpdateAsync).WithSummary("Save an edit as a new version; moveRuns says whether runs in progress follow it");
        flows.MapGet("/{id}/versions", VersionsAsync).WithSummary("Every version of a flow");
        flows.MapPost("/{id}/activate", (HttpContext http, string id, FlowStore store, FlowCatalog catalog, CancellationToken ct) =>
            SetStatusAsync(http, id, FlowRecord.Live, store, catalog, ct)).WithSummary("Make the latest version live: triggers start runs");
        flows.MapPost("/{id}/pause", (HttpContext http, string id, FlowStore store, FlowCatalog catalog, CancellationToken ct) =>
            SetStatusAsync(http, id, FlowRecord.Paused, store, catalog, ct)).WithSummary("Stop starting runs; runs in progress go on");
        flows.MapPost("/{id}/archive", (HttpContext http, string id, FlowStore store, FlowCatalog catalog, CancellationToken ct) =>
            SetStatusAsync(http, id, FlowRecord.Archived, store, catalog, ct)).WithSummary("Retire a flow: no new runs, no edits");
        flows.MapPost("/{id}/simulate", SimulateAsync).WithSummary("Run the flow for a real or described profile in virtual time; nothing is sent");
        flows.MapPost("/{id}/runs", StartRunAsync).WithSummary("Start a run for a profile by hand");
        flows.MapGet("/{id}/runs", RunsOfFlowAsync).WithSummary("The runs of a flow, newest first");
        api.MapGet("/runs/{runId}", RunAsync).WithTags("Flows").WithSummary("A run with its path, step by step");
        api.MapPost("/runs/{runId}/cancel", CancelAsync).WithTags("Flows").WithSummary("Cancel a run in progress");
        api.MapGet("/profiles/{id}/runs", RunsOfProfileAsync).WithTags("Flows").WithSummary("The flow runs of a profile, newest first");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<FlowView>>> ListAsync(HttpContext http, FlowStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<FlowView>>((await store.ListAsync(AdminAuth.WorkspaceOf(http), ct)).Select(f => FlowView.Of(f)).ToList());

    private static async Task<Results<Created<FlowView>, ValidationProblem>> CreateAsync(
        HttpContext http, JsonElement body, FlowStore store, FlowCatalog catalog, FlowReferences references, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await ValidateAsync(body, workspace, references, ct) is { } invalid)
            return invalid;
        var name = body.GetProperty("name").GetString()!.Trim();
        var created = await catalog.ChangeAsync(() => store.CreateAsync(workspace, name, body.GetRawText(), ct), ct);
        return TypedResults.Created($"/api/flows/{created.Id}", FlowView.Of(created));
    }

    private static async Task<Results<Ok<FlowView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        HttpContext http, string id, bool? moveRuns, JsonElement body, FlowStore store, FlowCatalog catalog, FlowReferences references, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } flow)
            return NotFound("flow", id);
        if (flow.Status == FlowRecord.Archived)
            return Problem(409, "Flow archived", "an archived flow cannot be edited; create a new flow instead", "id");
        if (flow.LiveVersion is not null && moveRuns is null)
        {
            return Problem(400, "Choice required",
                "this flow has run: say whether runs in progress move to the new version (moveRuns=true) or finish on theirs (moveRuns=false)", "moveRuns");
        }
        if (await ValidateAsync(body, workspace, references, ct) is { } invalid)
            return invalid;
        var name = body.GetProperty("name").GetString()!.Trim();
        var saved = await catalog.ChangeAsync(() => store.SaveVersionAsync(workspace, id, name, body.GetRawText(), moveRuns == true, ct), ct);
        return saved is null ? NotFound("flow", id) : TypedResults.Ok(FlowView.Of(saved));
    }

    private static async Task<Results<Ok<FlowView>, ProblemHttpResult>> GetAsync(HttpContext http, string id, FlowStore store, FlowRunStore runs, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } flow
            ? TypedResults.Ok(FlowView.Of(flow, await runs.StepCountsAsync(flow.Id, ct)))
            : NotFound("flow", id);

    private static async Task<Results<Ok<IReadOnlyList<FlowVersion>>, ProblemHttpResult>> VersionsAsync(HttpContext http, string id, FlowStore store, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } flow
            ? TypedResults.Ok(await store.VersionsAsync(flow.Id, ct))
            : NotFound("flow", id);

    private static async Task<Results<Ok<FlowView>, ProblemHttpResult>> SetStatusAsync(
        HttpContext http, string id, string status, FlowStore store, FlowCatalog catalog, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } flow)
            return NotFound("flow", id);
        if (flow.Status == FlowRecord.Archived && status != FlowRecord.Archived)
            return Problem(409, "Flow archived", "an archived flow stays archived; create a new flow instead", "id");
        var changed = await catalog.ChangeAsync(() => store.SetStatusAsync(workspace, id, status, ct), ct);
        return changed is null ? NotFound("flow", id) : TypedResults.Ok(FlowView.Of(changed));
    }

    private static async Task<Results<Created<RunView>, Ok<RunView>, ProblemHttpResult>> StartRunAsync(
        HttpContext http, string id, StartRunRequest request, FlowStore store, ProfileStore profiles, FlowRunStore runs, IGrainFactory grains, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is null)
            return NotFound("flow", id);
        if (string.IsNullOrWhiteSpace(request.ProfileId))
            return Problem(400, "Invalid request", "profileId is required: the profile to start the flow for", "profileId");
        if (request.Data is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
            return Problem(400, "Invalid request", "data must be a JSON object", "data");
        if (await profiles.LoadAsync(request.ProfileId, ct) is not { } profile || profile.WorkspaceId != workspace)
            return NotFound("profile", request.ProfileId);

        var key = string.IsNullOrWhiteSpace(request.Key) ? "api:" + Guid.NewGuid().ToString("N") : "api:" + request.Key;
        var data = request.Data is { ValueKind: JsonValueKind.Object } given ? given.GetRawText() : "{}";
        var started = await grains.GetGrain<IProfileGrain>(profile.MergedInto ?? profile.Id).StartFlowAsync(id, key, data);
        if (started.RunId is null)
            return Problem(409, "Run not started", started.Refusal ?? "the run did not start", "profileId");
        var run = await runs.GetAsync(workspace, started.RunId, ct);
        return run is null ? Problem(409, "Run not started", "the run did not start", "profileId") : TypedResults.Created($"/api/runs/{run.Id}", RunView.Of(run));
    }

    private static async Task<Results<Ok<SimulationResult>, ValidationProblem, ProblemHttpResult>> SimulateAsync(
        HttpContext http, string id, int? version, JsonElement body, FlowStore store, ProfileStore profiles, TimeProvider time, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } flow)
            return NotFound("flow", id);
        var wanted = version ?? flow.Version;
        if ((await store.VersionsAsync(id, ct)).FirstOrDefault(v => v.Version == wanted) is not { } chosen)
            return Problem(404, "Not found", $"flow '{id}' has no version {wanted}", "version");

        Nudge.Core.Profiles.Profile? real = null;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("profileId", out var profileId))
        {
            if (profileId.ValueKind != JsonValueKind.String || await profiles.LoadAsync(profileId.GetString()!, ct) is not { } stored || stored.WorkspaceId != workspace)
                return NotFound("profile", profileId.ToString());
            real = stored;
        }
        var (script, errors) = SimulationScriptReader.Read(body, real, workspace, time.GetUtcNow());
        if (script is null)
        {
            return TypedResults.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                detail: "The simulation request is invalid. Fix the fields listed in errors.", title: "Invalid simulation");
        }
        using var definition = JsonDocument.Parse(chosen.Definition);
        return TypedResults.Ok(FlowSimulation.Run(FlowDefinitionReader.Read(definition.RootElement).Definition!, id, script));
    }

    private static async Task<Results<Ok<IReadOnlyList<RunView>>, ProblemHttpResult>> RunsOfFlowAsync(
        HttpContext http, string id, string? status, int? limit, FlowStore store, FlowRunStore runs, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is null)
            return NotFound("flow", id);
        if (limit is < 1 or > MaxPage)
            return Problem(400, "Invalid query", $"limit must be between 1 and {MaxPage}", "limit");
        RunStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                return Problem(400, "Invalid query", "status must be active, completed, exited or cancelled", "status");
            filter = parsed;
        }
        return TypedResults.Ok<IReadOnlyList<RunView>>((await runs.OfFlowAsync(workspace, id, filter, limit ?? 100, ct)).Select(r => RunView.Of(r)).ToList());
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> RunAsync(HttpContext http, string runId, FlowRunStore runs, CancellationToken ct) =>
        await runs.GetAsync(AdminAuth.WorkspaceOf(http), runId, ct) is { } run
            ? TypedResults.Ok(RunView.Of(run, await runs.HistoryAsync(run.Id, ct)))
            : NotFound("run", runId);

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> CancelAsync(
        HttpContext http, string runId, FlowRunStore runs, IGrainFactory grains, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await runs.GetAsync(workspace, runId, ct) is not { } run)
            return NotFound("run", runId);
        if (!run.IsActive || !await grains.GetGrain<IProfileGrain>(run.ProfileId).CancelRunAsync(runId))
            return Problem(409, "Run not active", $"run '{runId}' has already ended ({run.Status.ToString().ToLowerInvariant()})", "runId");
        var cancelled = (await runs.GetAsync(workspace, runId, ct))!;
        return TypedResults.Ok(RunView.Of(cancelled, await runs.HistoryAsync(runId, ct)));
    }

    private static async Task<Ok<IReadOnlyList<RunView>>> RunsOfProfileAsync(HttpContext http, string id, FlowRunStore runs, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<RunView>>((await runs.OfProfileAsync(AdminAuth.WorkspaceOf(http), id, ct)).Select(r => RunView.Of(r)).ToList());

    private static ContentHttpResult Schema() => TypedResults.Text(FlowSchema.Json, "application/schema+json");

    private static async Task<ValidationProblem?> ValidateAsync(JsonElement body, string workspace, FlowReferences references, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (body.ValueKind != JsonValueKind.Object)
            errors.Add(new FieldError("", "the body must be a flow definition object"));
        else
        {
            var read = FlowDefinitionReader.Read(body);
            errors.AddRange(read.Errors);
            if (read.Definition is { } definition)
                errors.AddRange(await references.CheckAsync(workspace, definition, ct));
        }
        if (errors.Count == 0)
            return null;
        return TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: "The flow definition is invalid; nothing was saved. Fix the fields listed in errors.",
            title: "Invalid flow definition");
    }

    private static ProblemHttpResult NotFound(string what, string id) => Problem(404, "Not found", $"no {what} with id '{id}' in this workspace", "id");

    private static ProblemHttpResult Problem(int status, string title, string detail, string field) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["field"] = field });
}
