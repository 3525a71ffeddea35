using Nudge.Core.Consent;
using Nudge.Engine.Consent;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;
using Nudge.Storage.Outbox;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Consent;

/// <summary>
/// RFC 8058 one-click unsubscribe: <c>POST /unsubscribe/{profileId}?channel=&amp;token=</c> with the body
/// <c>List-Unsubscribe=One-Click</c>, as mail providers send it for the <c>List-Unsubscribe-Post</c> header, unsubscribes
/// at once and answers 200 without a redirect. A GET of the same address only shows a page with a button that
/// posts: link scanners that follow every link in a message unsubscribe nobody.
/// </summary>
internal static class OneClickUnsubscribe
{
    private const int MaxUserAgentLength = 512;

    // Set by the confirmation page's form, so the audit trail can carry the words the person saw there.
    private const string FromPageField = "from";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/unsubscribe/{profileId}", ConfirmAsync);
        pages.MapPost("/unsubscribe/{profileId}", UnsubscribeAsync);
    }

    private static async Task<IResult> ConfirmAsync(
        HttpContext http, string profileId, string? channel, string? token, string? message, ProfileStore profiles, PreferenceLinks links, KeyStore keys,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!ConsentChannels.IsKnown(channel)
            || await PublicProfiles.OpenAsync(profiles, profileId, ws => links.IsUnsubscribeTokenAsync(ws, profileId, channel!, token, now, ct), ct) is not { } profile)
        {
            return PublicPage.InvalidLink(http);
        }

        var shop = await PublicProfiles.ShopNameAsync(keys, profile.WorkspaceId, ct);
        var action = $"{Uri.EscapeDataString(profileId)}?channel={Uri.EscapeDataString(channel!)}&token={Uri.EscapeDataString(token!)}" +
            (message is null ? "" : $"&message={Uri.EscapeDataString(message)}");
        return PublicPage.Render(http, "Unsubscribe", $"""
            <h1>Unsubscribe</h1>
            <p>{PublicPage.Encode(Question(shop, channel!))}</p>
            <form method="post" action="{PublicPage.Encode(action)}">
            <input type="hidden" name="List-Unsubscribe" value="One-Click">
            <input type="hidden" name="{FromPageField}" value="page">
            <div class="actions"><button type="submit">{PublicPage.Encode(Button(channel!))}</button></div>
            </form>
            """);
    }

    private static async Task<IResult> UnsubscribeAsync(
        HttpContext http, string profileId, string? channel, string? token, string? message, ProfileStore profiles, PreferenceLinks links, KeyStore keys,
        EventLog log, FeedbackStore feedback, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!ConsentChannels.IsKnown(channel)
            || await PublicProfiles.OpenAsync(profiles, profileId, ws => links.IsUnsubscribeTokenAsync(ws, profileId, channel!, token, now, ct), ct) is not { } profile)
        {
            return PublicPage.InvalidLink(http);
        }

        // Providers send List-Unsubscribe=One-Click form-encoded or as multipart; the POST itself is the request,
        // whatever its body, since nothing but a deliberate click or a provider's one-click button sends one.
        var fromPage = http.Request.HasFormContentType && (await http.Request.ReadFormAsync(ct))[FromPageField] == "page";
        var shop = await PublicProfiles.ShopNameAsync(keys, profile.WorkspaceId, ct);
        var change = new ConsentChangeRequest(
            channel!, Subscribed: false, ConsentSources.OneClickUnsubscribe,
            // A mail client shows its own button; only our page's words are known.
            Wording: fromPage ? $"{Question(shop, channel!)} {Button(channel!)}" : null,
            Ip: http.Connection.RemoteIpAddress?.ToString(),
            UserAgent: PublicProfiles.UserAgent(http, MaxUserAgentLength));
        await log.AppendAsync([ConsentEvents.ConsentChanged(profile.WorkspaceId, profile.Id, change, now)], ct);
        // The message the link came in, when it is this person's: its history shows the unsubscribe (ADR 0019).
        if (message is not null && await feedback.FindAsync(message, ct) is { } sent && sent.WorkspaceId == profile.WorkspaceId
            && (sent.ProfileId == profileId || sent.ProfileId == profile.Id))
        {
            await feedback.RecordAsync([new MessageFeedback(sent.Id, sent.WorkspaceId, OutboxStatus.Unsubscribed, now,
                fromPage ? "from the unsubscribe page" : "one-click unsubscribe")], ct);
        }

        var preferences = await links.PreferencesAsync(profile.WorkspaceId, profileId, ct);
        return PublicPage.Render(http, "You are unsubscribed", $"""
            <h1>You are unsubscribed</h1>
            <p role="status">{PublicPage.Encode($"{shop} will send you no more {PublicPage.Messages(channel!)}.")}</p>
            <p><a href="{PublicPage.Encode(preferences.AbsoluteUri)}">Manage your preferences</a></p>
            """);
    }

    private static string Question(string shop, string channel) => $"Do you want to stop receiving {PublicPage.Messages(channel)} from {shop}?";

    private static string Button(string channel) => $"Unsubscribe from {PublicPage.Messages(channel)}";
}
