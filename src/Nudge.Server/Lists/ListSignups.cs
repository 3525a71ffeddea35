using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Nudge.Core.Links;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>
/// Signups from the public form and their confirmation. Without double opt-in a signup joins the list at once;
/// with it, the signup waits in <c>list_signups</c> and only the click on the emailed, signed link joins. Either
/// way the join is a <c>List Joined</c> event and the consent a <c>Consent Changed</c> event with its evidence
/// (IP, browser, the wording shown), both written with a server key.
/// </summary>
public sealed class ListSignups(
    ListStore lists,
    ListSignupStore signups,
    ListWriter writer,
    EventLog log,
    KeyStore keys,
    IOptions<ListOptions> options,
    TimeProvider time)
{
    /// <summary>The purpose confirmation links are signed for.</summary>
    public const string ConfirmPurpose = "list-confirm";

    /// <summary>A second signup for the same address within this time sends no second email: the first one is on its way.</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(10);

    /// <summary>Handles a checked signup; true when the person is on the list now, false when a confirmation is pending.</summary>
    public async Task<bool> SignupAsync(ListRecord list, SignupInput input, string publicBase, CancellationToken ct)
    {
        var who = ListSubject.OfEmail(input.Email);
        var standing = await writer.StandingAsync(list.WorkspaceId, list.Id, who, ct);
        var now = time.GetUtcNow();
        if (list.DoubleOptIn)
        {
            // Already on the list, or an email already on its way: the same answer, and no second email. The answer
            // tells nobody whether an address is subscribed.
            if (standing is { IsMember: true } || await signups.RecentPendingAsync(list.Id, input.Email, now - ResendAfter, ct) is not null)
                return false;
            var signup = new ListSignup(
                "sgn_" + Guid.CreateVersion7().ToString("N"), list.WorkspaceId, list.Id, input.Email, ListSignupStatus.Pending,
                now, now.AddHours(options.Value.ConfirmationHours), null, input.Ip, input.UserAgent, input.ConsentText, input.FirstName, input.LastName);
            await signups.CreateAsync(signup, ConfirmationEmail.For(list, signup, await LinkAsync(signup, publicBase, ct)), ct);
            return false;
        }

        var id = Guid.CreateVersion7().ToString("N");
        var region = await writer.RegionAsync(list.WorkspaceId, ct);
        var events = new List<EventToAppend>(3);
        if (standing is null && Names(input.FirstName, input.LastName) is { } names)
            events.Add(ListMessages.Identify(list.WorkspaceId, who, $"nudge-signup-{id}-identify", now, names, region));
        if (standing is not { IsMember: true })
            events.Add(ListMessages.Joined(list.WorkspaceId, list, who, "signup form", ListMessages.JoinId(list.Id, who, standing?.Changes ?? 0), now, region));
        events.Add(ListMessages.ConsentChanged(list.WorkspaceId, who, $"nudge-signup-{id}-consent", now, new JsonObject
        {
            ["channel"] = "email",
            ["status"] = "subscribed",
            ["source"] = "signup form",
            ["list_id"] = list.Id,
            ["ip"] = input.Ip,
            ["user_agent"] = input.UserAgent,
            ["wording"] = input.ConsentText,
        }, region, input.Ip));
        await log.AppendAsync(events, ct);
        return true;
    }

    /// <summary>Handles a click on a confirmation link.</summary>
    public async Task<(Confirmation Outcome, string? ListName)> ConfirmAsync(string signupId, string? token, string? clickIp, CancellationToken ct)
    {
        if (await signups.GetAsync(signupId, ct) is not { } signup)
            return (Confirmation.Invalid, null);
        // The MAC is checked as of the request: the stored expiry decides, so an old link reads as expired, not forged.
        var signer = new LinkSigner(await keys.LinkSecretAsync(signup.WorkspaceId, ct));
        if (!signer.Verify(ConfirmPurpose, signup.Id, token, signup.RequestedAt))
            return (Confirmation.Invalid, null);
        if (signup.Status == ListSignupStatus.Confirmed)
            return (Confirmation.AlreadyConfirmed, null);
        var now = time.GetUtcNow();
        if (signup.IsExpiredAt(now))
        {
            await signups.ExpireAsync(signup.Id, ct);
            return (Confirmation.Expired, null);
        }
        if (await lists.FindAsync(signup.ListId, ct) is not { } list)
            return (Confirmation.ListGone, null);

        var who = ListSubject.OfEmail(signup.Email);
        var region = await writer.RegionAsync(signup.WorkspaceId, ct);
        var events = new List<EventToAppend>(3);
        if (await writer.StandingAsync(signup.WorkspaceId, list.Id, who, ct) is null && Names(signup.FirstName, signup.LastName) is { } names)
            events.Add(ListMessages.Identify(signup.WorkspaceId, who, $"nudge-{signup.Id}-identify", now, names, region));
        events.Add(ListMessages.Joined(signup.WorkspaceId, list, who, "double opt-in", $"nudge-{signup.Id}-joined", now, region,
            more: new JsonObject { ["signup_id"] = signup.Id }));
        events.Add(ListMessages.ConsentChanged(signup.WorkspaceId, who, $"nudge-{signup.Id}-consent", now, new JsonObject
        {
            ["channel"] = "email",
            ["status"] = "subscribed",
            ["source"] = "double opt-in",
            ["list_id"] = list.Id,
            ["signup_id"] = signup.Id,
            ["ip"] = signup.Ip,
            ["user_agent"] = signup.UserAgent,
            ["wording"] = signup.Wording,
            ["requested_at"] = signup.RequestedAt.ToString("O", CultureInfo.InvariantCulture),
            ["confirmed_at"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["confirmation_ip"] = clickIp,
        }, region, signup.Ip));
        // Logged before the signup is marked: a crash in between leaves it pending, and the next click logs the same
        // message ids again, which the log drops.
        await log.AppendAsync(events, ct);
        await signups.ConfirmAsync(signup.Id, now, ct);
        return (Confirmation.Confirmed, list.Name);
    }

    /// <summary>The confirmation link of a signup.</summary>
    public async Task<string> LinkAsync(ListSignup signup, string publicBase, CancellationToken ct)
    {
        var signer = new LinkSigner(await keys.LinkSecretAsync(signup.WorkspaceId, ct));
        var token = signer.Sign(ConfirmPurpose, signup.Id, signup.ExpiresAt);
        return $"{publicBase}/lists/confirm/{signup.Id}?token={Uri.EscapeDataString(token)}";
    }

    /// <summary>
    /// The names a form gave, as traits. They are only set on people Nudge does not know yet: anyone can type anyone's
    /// address into a public form, and must not rename a known customer by doing so.
    /// </summary>
    private static JsonObject? Names(string? firstName, string? lastName)
    {
        var traits = new JsonObject();
        if (firstName is { Length: > 0 })
            traits["first_name"] = firstName;
        if (lastName is { Length: > 0 })
            traits["last_name"] = lastName;
        return traits.Count == 0 ? null : traits;
    }
}

/// <summary>A checked signup from the form.</summary>
/// <param name="Email">The normalized address.</param>
/// <param name="FirstName">First name, if given.</param>
/// <param name="LastName">Last name, if given.</param>
/// <param name="ConsentText">The consent wording the form showed.</param>
/// <param name="Ip">The client address.</param>
/// <param name="UserAgent">The client's browser.</param>
public sealed record SignupInput(string Email, string? FirstName, string? LastName, string? ConsentText, string? Ip, string? UserAgent);

/// <summary>What a click on a confirmation link found.</summary>
public enum Confirmation
{
    /// <summary>The person joined the list now.</summary>
    Confirmed,

    /// <summary>A click on a link already used; nothing changes.</summary>
    AlreadyConfirmed,

    /// <summary>Unknown signup or a token that does not match: nothing changes.</summary>
    Invalid,

    /// <summary>The link's time ran out; the signup is expired now.</summary>
    Expired,

    /// <summary>The list was deleted meanwhile.</summary>
    ListGone,
}
