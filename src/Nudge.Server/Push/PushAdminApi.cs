using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Server.Admin;
using Nudge.Storage.Profiles;
using Nudge.Storage.Push;

namespace Nudge.Server.Push;

/// <summary>What the admin API shows of a person's push subscriptions (never their keys).</summary>
public static class PushAdminApi
{
    public static RouteGroupBuilder MapPushAdminApi(this RouteGroupBuilder api)
    {
        api.MapGet("/profiles/{id}/push-subscriptions", ListAsync).WithTags("Web Push")
            .WithSummary("The browsers a profile receives push notifications on (including those of profiles merged into it)");
        return api;
    }

    private static async Task<Results<Ok<List<PushSubscriptionView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ProfileStore profiles, PushSubscriptionStore store, string id, CancellationToken ct)
    {
        if (await ProfilesApi.FindAsync(http, profiles, id, ct) is not { } profile)
            return ProfilesApi.NotFound(id);
        var subscriptions = await store.ForProfileAsync(profile.WorkspaceId, profile.Id, ct);
        return TypedResults.Ok(subscriptions.Select(PushSubscriptionView.Of).ToList());
    }
}

/// <summary>One browser's push subscription, as the admin API shows it.</summary>
/// <param name="Endpoint">The push service URL.</param>
/// <param name="PushService">The push service's host (fcm.googleapis.com, updates.push.services.mozilla.com, web.push.apple.com, ...).</param>
/// <param name="UserAgent">The browser, as it said when subscribing.</param>
/// <param name="CreatedAt">When it subscribed.</param>
/// <param name="LastSuccessAt">When a push service last accepted a message for it.</param>
public sealed record PushSubscriptionView(string Endpoint, string PushService, string? UserAgent, DateTimeOffset CreatedAt, DateTimeOffset? LastSuccessAt)
{
    public static PushSubscriptionView Of(PushSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return new(subscription.Endpoint, new Uri(subscription.Endpoint).Host, subscription.UserAgent, subscription.CreatedAt, subscription.LastSuccessAt);
    }
}
