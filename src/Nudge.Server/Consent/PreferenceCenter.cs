using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Nudge.Core.Consent;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Engine.Consent;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Consent;

/// <summary>
/// The preference center: a signed page per person (<c>/preferences/{profileId}?token=</c>) to choose channels and
/// topics or to unsubscribe from everything. Saving appends trusted <c>Consent Changed</c> events and an identify
/// for the topics, with the request's address and browser and the page's exact words.
/// </summary>
internal static class PreferenceCenter
{
    /// <summary>The trait the chosen topics are kept in (a JSON array of strings).</summary>
    public const string TopicsTrait = "topics";

    private const int MaxUserAgentLength = 512;

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/preferences/{profileId}", ShowAsync);
        pages.MapPost("/preferences/{profileId}", SaveAsync);
    }

    private static async Task<IResult> ShowAsync(
        HttpContext http, string profileId, string? token, ProfileStore profiles, PreferenceLinks links, KeyStore keys,
        IOptions<PreferencesOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await PublicProfiles.OpenAsync(profiles, profileId, ws => links.IsPreferencesTokenAsync(ws, profileId, token, now, ct), ct) is not { } profile)
            return PublicPage.InvalidLink(http);

        var shop = await PublicProfiles.ShopNameAsync(keys, profile.WorkspaceId, ct);
        var page = Page(shop, profileId, token!, channel => ConsentStates.Of(profile, channel), TopicsOf(profile), options.Value, saved: false);
        return PublicPage.Render(http, PreferencePage.Title, page.Html());
    }

    private static async Task<IResult> SaveAsync(
        HttpContext http, string profileId, string? token, ProfileStore profiles, PreferenceLinks links, KeyStore keys, EventLog log,
        IOptions<PreferencesOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await PublicProfiles.OpenAsync(profiles, profileId, ws => links.IsPreferencesTokenAsync(ws, profileId, token, now, ct), ct) is not { } profile
            || !http.Request.HasFormContentType)
        {
            return PublicPage.InvalidLink(http);
        }

        var form = await http.Request.ReadFormAsync(ct);
        var everything = form["action"] == "unsubscribe-all";
        var shop = await PublicProfiles.ShopNameAsync(keys, profile.WorkspaceId, ct);
        var ip = http.Connection.RemoteIpAddress?.ToString();
        var userAgent = PublicProfiles.UserAgent(http, MaxUserAgentLength);
        var chosen = form["channel"].ToHashSet(StringComparer.Ordinal);
        var events = new List<EventToAppend>();
        var after = new Dictionary<string, ConsentStatus>(StringComparer.Ordinal);

        // Unsubscribing from everything covers every channel, push included, and says so explicitly even where the
        // person never subscribed; a save changes only what differs from the page's state.
        foreach (var channel in everything ? ConsentChannels.All.AsEnumerable() : PreferencePage.OfferedChannels)
        {
            var current = ConsentStates.Of(profile, channel);
            var subscribe = !everything && chosen.Contains(channel);
            var changes = everything ? current != ConsentStatus.Unsubscribed
                : subscribe ? current != ConsentStatus.Subscribed
                : current == ConsentStatus.Subscribed;
            after[channel] = changes ? subscribe ? ConsentStatus.Subscribed : ConsentStatus.Unsubscribed : current;
            if (!changes)
                continue;
            var wording = everything ? PreferencePage.UnsubscribeEverythingWording(shop) : PreferencePage.ChannelLabel(shop, channel);
            events.Add(ConsentEvents.ConsentChanged(profile.WorkspaceId, profile.Id,
                new ConsentChangeRequest(channel, subscribe, ConsentSources.PreferenceCenter, wording, ip, userAgent), now));
        }

        // Topics the page does not offer (any more) stay as they are; only "everything" clears them too.
        var offered = options.Value.TopicList;
        var currentTopics = TopicsOf(profile);
        var topics = everything
            ? []
            : offered.Where(t => form["topic"].Contains(t)).Concat(currentTopics.Where(t => !offered.Contains(t))).ToList();
        if (!topics.ToHashSet(StringComparer.Ordinal).SetEquals(currentTopics))
        {
            var traits = new JsonObject { [TopicsTrait] = new JsonArray([.. topics.Select(t => JsonValue.Create(t))]) };
            events.Add(ConsentEvents.Identify(profile.WorkspaceId, profile.Id, traits, now));
        }

        if (events.Count > 0)
            await log.AppendAsync(events, ct);

        // The saved profile catches up within about a second; the page shows the state just recorded.
        var page = Page(shop, profileId, token!, channel => after.TryGetValue(channel, out var s) ? s : ConsentStates.Of(profile, channel),
            topics, options.Value, saved: true);
        return PublicPage.Render(http, PreferencePage.Title, page.Html());
    }

    private static PreferencePage Page(
        string shop, string profileId, string token, Func<string, ConsentStatus> status, IReadOnlyCollection<string> chosenTopics,
        PreferencesOptions options, bool saved)
    {
        var channels = PreferencePage.OfferedChannels.Select(c => (c, status(c) == ConsentStatus.Subscribed)).ToList();
        var statuses = PreferencePage.OfferedChannels.ToDictionary(c => c, c => status(c) switch
        {
            ConsentStatus.Subscribed => "subscribed",
            ConsentStatus.Unsubscribed => "unsubscribed",
            _ => "never subscribed",
        });
        var topics = options.TopicList.Select(t => (t, chosenTopics.Contains(t))).ToList();
        var action = $"{Uri.EscapeDataString(profileId)}?token={Uri.EscapeDataString(token)}";
        return new PreferencePage(shop, action, channels, statuses, topics, saved);
    }

    private static List<string> TopicsOf(Profile profile) =>
        profile.Traits.TryGetValue(TopicsTrait, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).Distinct(StringComparer.Ordinal).ToList()
            : [];
}
