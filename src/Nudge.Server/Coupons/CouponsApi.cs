using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Coupons;
using Nudge.Core.Profiles;
using Nudge.Engine.Coupons;
using Nudge.Engine.Flows;
using Nudge.Server.Admin;
using Nudge.Storage.Coupons;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Coupons;

/// <summary>Coupon pools: settings, codes (uploaded or generated), stats and alerts, assignment, pushes to the shop (ADR 0018).</summary>
public static class CouponsApi
{
    private const int MaxPage = 1000;
    private const int MaxGenerate = 100_000;

    public static RouteGroupBuilder MapCouponsApi(this RouteGroupBuilder api)
    {
        var pools = api.MapGroup("/coupons/pools").WithTags("Coupons");
        pools.MapGet("/", ListAsync).WithSummary("Every coupon pool of the workspace, with stats and alerts");
        pools.MapPost("/", CreateAsync).WithSummary("Create a pool: name, type (percent, fixed, freeShipping), amount, currency, validity, usageLimit, lowThreshold, connector")
            .Accepts<JsonElement>("application/json").Produces<CouponPoolView>(StatusCodes.Status201Created).ProducesValidationProblem();
        pools.MapGet("/{id}", GetAsync).WithSummary("A pool with stats (available, assigned, redeemed, expired), low flag and alerts");
        pools.MapPut("/{id}", UpdateAsync).WithSummary("Replace a pool's settings (codes already given keep their expiry)")
            .Accepts<JsonElement>("application/json").Produces<CouponPoolView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        pools.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a pool and its codes (refused while a live flow assigns from it)");
        pools.MapPost("/{id}/codes", UploadAsync)
            .WithSummary("Add codes: a text file with one code a line, a CSV file with a code column, or JSON { \"codes\": [...] }; duplicates are reported")
            .Accepts<string>("text/plain", "text/csv", "application/json", "multipart/form-data")
            .Produces<CodeUploadView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        pools.MapGet("/{id}/codes", CodesAsync).WithSummary("The pool's codes in code order, paged with after");
        pools.MapPost("/{id}/generate", GenerateAsync)
            .WithSummary("Generate unique codes: { \"count\": 1000, \"pattern\": \"WELCOME-########\" } or { \"count\", \"prefix\", \"length\" }")
            .Accepts<JsonElement>("application/json").Produces<GeneratedCodesView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        pools.MapPost("/{id}/assign", AssignAsync)
            .WithSummary("Give a person a code: { \"profileId\", \"key\" }; the same key always gets the same code")
            .Accepts<JsonElement>("application/json").Produces<CouponView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        pools.MapPost("/{id}/publish", PublishAsync).WithSummary("Create the pool's codes the shop does not have yet in the shop, through the pool's connector")
            .Produces<PublishView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/coupons/alerts", AlertsAsync).WithTags("Coupons").WithSummary("Every pool alert of the workspace: low, empty, ended, publish");
        api.MapGet("/profiles/{id}/coupons", ProfileCouponsAsync).WithTags("Coupons").WithSummary("The codes a profile was given, newest first, with their status");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<CouponPoolView>>> ListAsync(HttpContext http, CouponStore store, TimeProvider time, CancellationToken ct)
    {
        var views = new List<CouponPoolView>();
        foreach (var pool in await store.ListPoolsAsync(AdminAuth.WorkspaceOf(http), ct))
            views.Add(CouponPoolView.Of(pool, await store.StatsAsync(pool, ct), time.GetUtcNow()));
        return TypedResults.Ok<IReadOnlyList<CouponPoolView>>(views);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CouponStore store, TimeProvider time, CancellationToken ct)
    {
        var (settings, errors) = await ReadSettingsAsync(http, ct);
        if (settings is null)
            return Invalid(errors);
        var pool = await store.CreatePoolAsync(AdminAuth.WorkspaceOf(http), settings, ct);
        return TypedResults.Created($"/api/coupons/pools/{pool.Id}", CouponPoolView.Of(pool, await store.StatsAsync(pool, ct), time.GetUtcNow()));
    }

    private static async Task<Results<Ok<CouponPoolView>, ProblemHttpResult>> GetAsync(
        HttpContext http, string id, CouponStore store, TimeProvider time, CancellationToken ct) =>
        await store.GetPoolAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } pool
            ? TypedResults.Ok(CouponPoolView.Of(pool, await store.StatsAsync(pool, ct), time.GetUtcNow()))
            : NotFound(id);

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, CouponStore store, TimeProvider time, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetPoolAsync(workspace, id, ct) is null)
            return NotFound(id);
        var (settings, errors) = await ReadSettingsAsync(http, ct);
        if (settings is null)
            return Invalid(errors);
        return await store.UpdatePoolAsync(workspace, id, settings, ct) is { } pool
            ? TypedResults.Ok(CouponPoolView.Of(pool, await store.StatsAsync(pool, ct), time.GetUtcNow()))
            : NotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        HttpContext http, string id, CouponStore store, FlowCatalog flows, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetPoolAsync(workspace, id, ct) is null)
            return NotFound(id);
        var users = flows.LiveFlows(workspace).Where(f => f.Definition.Steps.Values.OfType<Nudge.Core.Flows.AssignCouponStep>().Any(s => s.PoolId == id))
            .Select(f => f.Id).ToList();
        if (users.Count > 0)
        {
            return TypedResults.Problem(detail: $"pool '{id}' is used by live flows {string.Join(", ", users)}; pause or change them first",
                statusCode: 409, title: "Pool in use", extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }
        return await store.DeletePoolAsync(workspace, id, ct) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string id, CouponStore store, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetPoolAsync(workspace, id, ct) is not { } pool)
            return NotFound(id);

        CodeUploadResult upload;
        if (http.Request.HasJsonContentType())
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var body = await ReadJsonAsync(http, ct);
            if (body is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty("codes", out var list) || list.ValueKind != JsonValueKind.Array)
                return Invalid(new Dictionary<string, string[]> { ["codes"] = ["is required: a list of codes, e.g. { \"codes\": [\"SPRING-1\", \"SPRING-2\"] }"] });
            var lines = new StringBuilder();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                    errors[$"codes[{index}]"] = ["must be a text"];
                else
                    lines.Append(item.GetString()!.ReplaceLineEndings(" ")).Append('\n');
                index++;
            }
            if (errors.Count > 0)
                return Invalid(errors);
            upload = CodeUpload.Read(lines.ToString());
        }
        else
        {
            Stream? file = null;
            if (http.Request.HasFormContentType)
            {
                var form = await http.Request.ReadFormAsync(ct);
                if (form.Files.Count == 0)
                    return Invalid(new Dictionary<string, string[]> { ["file"] = ["attach the file of codes to the form"] });
                file = form.Files[0].OpenReadStream();
            }
            await using (file)
            {
                using var reader = new StreamReader(file ?? http.Request.Body, Encoding.UTF8);
                upload = CodeUpload.Read(await reader.ReadToEndAsync(ct));
            }
        }
        if (upload.Codes.Count == 0)
            return Invalid(new Dictionary<string, string[]> { ["body"] = ["holds no codes: send one code a line, or a CSV file with a code column"] });

        var added = await store.AddCodesAsync(workspace, pool.Id, upload.Codes.Select(c => c.Code), "uploaded", ct);
        return TypedResults.Ok(new CodeUploadView(added.Added, upload.Repeated, added.AlreadyInPool, upload.Invalid));
    }

    private static async Task<Results<Ok<PoolCodesPage>, ProblemHttpResult>> CodesAsync(
        HttpContext http, string id, string? after, int? limit, CouponStore store, TimeProvider time, CancellationToken ct)
    {
        if (await store.GetPoolAsync(AdminAuth.WorkspaceOf(http), id, ct) is not { } pool)
            return NotFound(id);
        if (limit is < 1 or > MaxPage)
        {
            return TypedResults.Problem(detail: $"limit must be between 1 and {MaxPage}", statusCode: 400, title: "Invalid query",
                extensions: new Dictionary<string, object?> { ["field"] = "limit" });
        }
        var size = limit ?? 100;
        var now = time.GetUtcNow();
        var ended = pool.Settings.Validity.HasEnded(now);
        var page = await store.PageAsync(pool.Id, after, size, ct);
        var views = page.Select(c => new PoolCodeView(c.Code,
            c.RedeemedAt is not null ? "redeemed"
            : c.ProfileId is null ? (ended ? "expired" : "available")
            : c.ExpiresAt <= now ? "expired" : "assigned",
            c.ProfileId, c.AssignedAt, c.ExpiresAt, c.RedeemedAt, c.PublishedAt)).ToList();
        return TypedResults.Ok(new PoolCodesPage(views, page.Count == size ? page[^1].Code : null));
    }

    private static async Task<IResult> GenerateAsync(HttpContext http, string id, CouponStore store, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetPoolAsync(workspace, id, ct) is not { } pool)
            return NotFound(id);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (await ReadJsonAsync(http, ct) is not { ValueKind: JsonValueKind.Object } body)
            return Invalid(new Dictionary<string, string[]> { ["body"] = ["must be a JSON object with count and pattern (or prefix and length)"] });

        var count = body.TryGetProperty("count", out var c) && c.TryGetInt32(out var n) && n is >= 1 and <= MaxGenerate ? n : 0;
        if (count == 0)
            errors["count"] = [$"is required: a whole number from 1 to {MaxGenerate}"];
        (CodePattern? Pattern, string? Problem) pattern;
        if (body.TryGetProperty("pattern", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            pattern = p.ValueKind == JsonValueKind.String ? CodePattern.Parse(p.GetString()) : (null, "must be a text such as \"WELCOME-########\"");
            if (pattern.Problem is { } problem)
                errors["pattern"] = [problem];
        }
        else
        {
            var prefix = body.TryGetProperty("prefix", out var pre) && pre.ValueKind == JsonValueKind.String ? pre.GetString() : "";
            var length = body.TryGetProperty("length", out var len) && len.TryGetInt32(out var l) ? l : 0;
            pattern = CodePattern.FromPrefix(prefix, length);
            if (pattern.Problem is { } problem)
                errors[body.TryGetProperty("length", out _) ? "length" : "pattern"] = [problem + " (give a pattern, or a prefix and a length of 6 to 32)"];
        }
        if (pattern.Pattern is { } usable && count > usable.MaxCodes)
            errors["count"] = [$"is more than this pattern should make ({usable.MaxCodes}): codes would become guessable; add random characters"];
        if (errors.Count > 0)
            return Invalid(errors);

        var added = await store.GenerateAsync(workspace, pool.Id, pattern.Pattern!, count, ct);
        return TypedResults.Ok(new GeneratedCodesView(added, pattern.Pattern!.Text));
    }

    private static async Task<IResult> AssignAsync(
        HttpContext http, string id, CouponStore store, CouponAssigner assigner, ProfileStore profiles, TimeProvider time, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetPoolAsync(workspace, id, ct) is not { } pool)
            return NotFound(id);
        var body = await ReadJsonAsync(http, ct);
        var profileId = Text(body, "profileId");
        var key = Text(body, "key");
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (profileId is null)
            errors["profileId"] = ["is required: the profile to give the code to"];
        if (key is null || key.Length > 200)
            errors["key"] = ["is required: up to 200 characters naming this assignment (asking again with it gives the same code)"];
        if (errors.Count > 0)
            return Invalid(errors);
        if (await FindProfileAsync(profiles, workspace, profileId!, ct) is not { } profile)
        {
            return TypedResults.Problem(detail: $"no profile with id '{profileId}' in this workspace", statusCode: 404, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "profileId" });
        }
        var result = await assigner.AssignAsync(workspace, pool.Id, profile.Id, "api:" + key, null, ct);
        return result.Coupon is { } coupon
            ? TypedResults.Ok(CouponView.Of(coupon, pool, time.GetUtcNow()))
            : TypedResults.Problem(detail: result.Refusal, statusCode: 409, title: "No code", extensions: new Dictionary<string, object?> { ["field"] = "id" });
    }

    private static async Task<IResult> PublishAsync(HttpContext http, string id, CouponStore store, CouponPublishing publishing, CancellationToken ct)
    {
        if (await store.GetPoolAsync(AdminAuth.WorkspaceOf(http), id, ct) is not { } pool)
            return NotFound(id);
        var (outcome, problem) = await publishing.PublishAsync(pool, ct);
        if (outcome is null)
        {
            return TypedResults.Problem(detail: problem, statusCode: 409, title: "Cannot publish",
                extensions: new Dictionary<string, object?> { ["field"] = "connector" });
        }
        return TypedResults.Ok(new PublishView(outcome.Published, outcome.Failed, outcome.ShopReference, outcome.Error));
    }

    private static async Task<Ok<IReadOnlyList<CouponAlert>>> AlertsAsync(HttpContext http, CouponStore store, TimeProvider time, CancellationToken ct)
    {
        var alerts = new List<CouponAlert>();
        foreach (var pool in await store.ListPoolsAsync(AdminAuth.WorkspaceOf(http), ct))
            alerts.AddRange(CouponAlert.Of(pool, await store.StatsAsync(pool, ct), time.GetUtcNow()));
        return TypedResults.Ok<IReadOnlyList<CouponAlert>>(alerts);
    }

    private static async Task<Results<Ok<IReadOnlyList<CouponView>>, ProblemHttpResult>> ProfileCouponsAsync(
        HttpContext http, string id, CouponStore store, ProfileStore profiles, TimeProvider time, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await FindProfileAsync(profiles, workspace, id, ct) is not { } profile)
        {
            return TypedResults.Problem(detail: $"no profile with id '{id}' in this workspace", statusCode: 404, title: "Not found",
                extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }
        var pools = (await store.ListPoolsAsync(workspace, ct)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<CouponView>>((await store.ForProfileAsync(workspace, profile.Id, ct))
            .Select(c => CouponView.Of(c, pools.GetValueOrDefault(c.PoolId), now)).ToList());
    }

    private static async Task<(CouponPoolSettings? Settings, IReadOnlyDictionary<string, string[]> Errors)> ReadSettingsAsync(HttpContext http, CancellationToken ct)
    {
        if (await ReadJsonAsync(http, ct) is not { } body)
            return (null, new Dictionary<string, string[]> { ["body"] = ["must be a JSON object"] });
        var (settings, errors) = CouponPoolReader.Read(body);
        return (settings, errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal));
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement? body, string key) =>
        body is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString()!.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A live profile of the workspace, following merges to the survivor.</summary>
    private static async Task<Profile?> FindProfileAsync(ProfileStore profiles, string workspace, string id, CancellationToken ct)
    {
        var profile = await profiles.LoadAsync(id, ct);
        for (var hops = 0; profile?.MergedInto is { } survivor && hops < 16; hops++)
            profile = await profiles.LoadAsync(survivor, ct);
        return profile is not null && profile.WorkspaceId == workspace && profile.MergedInto is null ? profile : null;
    }

    private static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: "The request is invalid; nothing was changed. Fix the fields listed in errors.", title: "Invalid coupon request");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no coupon pool with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "id" });
}
