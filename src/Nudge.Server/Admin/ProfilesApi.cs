using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Profiles;
using Nudge.Engine.Profiles;
using Nudge.Server.Lists;
using Nudge.Server.Consent;
using Nudge.Storage.Events;
using Nudge.Storage.Catalog;
using Nudge.Storage.Lists;
using Nudge.Storage.Profiles;
using Nudge.Storage.Push;

namespace Nudge.Server.Admin;

/// <summary>Profiles, timelines, GDPR export and erasure.</summary>
public static class ProfilesApi
{
    private const int MaxPage = 500;

    public static RouteGroupBuilder MapProfilesApi(this RouteGroupBuilder api)
    {
        var profiles = api.MapGroup("/profiles").WithTags("Profiles");
        profiles.MapGet("/", SearchAsync).WithSummary("Search profiles by email, phone, user id, profile id or name");
        profiles.MapGet("/{id}", GetAsync).WithSummary("A profile: traits, identities, computed traits, consent");
        profiles.MapGet("/{id}/events", TimelineAsync).WithSummary("The profile's timeline, newest first, paged");
        profiles.MapGet("/{id}/export", ExportAsync).WithSummary("Everything held about the person (GDPR access)");
        profiles.MapDelete("/{id}", EraseAsync).WithSummary("Erase the person and their events (GDPR erasure)");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ProfileSummary>>> SearchAsync(
        HttpContext http, ProfileStore store, string? query, int? limit, CancellationToken ct)
    {
        var found = await store.SearchAsync(AdminAuth.WorkspaceOf(http), query, Math.Clamp(limit ?? 50, 1, MaxPage), ct);
        return TypedResults.Ok<IReadOnlyList<ProfileSummary>>(found.Select(ProfileSummary.Of).ToList());
    }

    private static async Task<Results<Ok<ProfileView>, ProblemHttpResult>> GetAsync(
        HttpContext http, ProfileStore store, string id, CancellationToken ct) =>
        await FindAsync(http, store, id, ct) is { } profile ? TypedResults.Ok(ProfileView.Of(profile)) : NotFound(id);

    private static async Task<Results<Ok<TimelinePage>, ProblemHttpResult>> TimelineAsync(
        HttpContext http, ProfileStore store, EventReader events, string id, long? before, int? limit, CancellationToken ct)
    {
        if (await FindAsync(http, store, id, ct) is not { } profile)
            return NotFound(id);
        if (limit is < 1 or > MaxPage)
            return TypedResults.Problem(detail: $"limit must be between 1 and {MaxPage}", statusCode: 400, title: "Invalid query",
                extensions: new Dictionary<string, object?> { ["field"] = "limit" });

        var size = limit ?? 50;
        var page = await events.ReadTimelineAsync(profile.WorkspaceId, profile.Id, before, size, ct);
        return TypedResults.Ok(new TimelinePage(page.Select(EventView.Of).ToList(), page.Count == size ? page[^1].Sequence : null));
    }

    private static async Task<Results<Ok<ProfileExport>, ProblemHttpResult>> ExportAsync(
        HttpContext http, ProfileStore store, EventReader events, TimeProvider time, string id, CancellationToken ct)
    {
        if (await FindAsync(http, store, id, ct) is not { } profile)
            return NotFound(id);

        var all = new List<EventView>();
        long? before = null;
        while (true)
        {
            var page = await events.ReadTimelineAsync(profile.WorkspaceId, profile.Id, before, MaxPage, ct);
            all.AddRange(page.Select(EventView.Of));
            if (page.Count < MaxPage)
                break;
            before = page[^1].Sequence;
        }
        return TypedResults.Ok(new ProfileExport(time.GetUtcNow(), ProfileView.Of(profile), ConsentView.Of(profile), all));
    }

    private static async Task<Results<Ok<ErasureView>, ProblemHttpResult>> EraseAsync(
        HttpContext http, ProfileStore store, EventLog log, IGrainFactory grains, ListMembers lists, ListSignupStore signups,
        PushSubscriptionStore push, ProductInterestStore interest, string id, CancellationToken ct)
    {
        if (await FindAsync(http, store, id, ct) is not { } profile)
            return NotFound(id);

        // First the log (no new event can attach to the old ids), then tombstones, then the live grains.
        var erased = await log.EraseProfileAsync(profile.WorkspaceId, profile.Id, ct);
        await store.EraseAsync(profile.WorkspaceId, erased.ProfileIds, ct);
        foreach (var profileId in erased.ProfileIds)
            await grains.GetGrain<IProfileGrain>(profileId).EraseAsync();
        await ListErasure.ForgetAsync(lists, signups, profile, erased.ProfileIds, ct);
        await push.RemoveProfilesAsync(profile.WorkspaceId, erased.ProfileIds, ct);
        await interest.ForgetAsync(profile.WorkspaceId, erased.ProfileIds, ct);
        return TypedResults.Ok(new ErasureView(erased.ProfileIds, erased.EventsDeleted));
    }

    /// <summary>Finds a profile of the caller's workspace, following merges to the surviving profile.</summary>
    internal static async Task<Profile?> FindAsync(HttpContext http, ProfileStore store, string id, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        var profile = await store.LoadAsync(id, ct);
        for (var hops = 0; profile?.MergedInto is { } survivor && hops < 16; hops++)
            profile = await store.LoadAsync(survivor, ct);
        return profile is not null && profile.WorkspaceId == workspace && profile.MergedInto is null ? profile : null;
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no profile with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "id" });
}
