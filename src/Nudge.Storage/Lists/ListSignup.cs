namespace Nudge.Storage.Lists;

/// <summary>
/// A double opt-in request from the public signup form: pending until the person clicks the emailed link, or
/// until it expires. Until then nobody is added to anything; the form's data waits here.
/// </summary>
/// <param name="Id">Signup id (<c>sgn_...</c>); the confirmation link names it.</param>
/// <param name="WorkspaceId">The shop.</param>
/// <param name="ListId">The list asked for.</param>
/// <param name="Email">The normalized address to confirm.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="RequestedAt">When the form was sent.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
/// <param name="ConfirmedAt">When the link was clicked.</param>
/// <param name="Ip">The address the form was sent from (consent evidence).</param>
/// <param name="UserAgent">The browser that sent it.</param>
/// <param name="Wording">The consent text the form showed.</param>
/// <param name="FirstName">First name given in the form.</param>
/// <param name="LastName">Last name given in the form.</param>
public sealed record ListSignup(
    string Id,
    string WorkspaceId,
    string ListId,
    string Email,
    ListSignupStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ConfirmedAt,
    string? Ip,
    string? UserAgent,
    string? Wording,
    string? FirstName,
    string? LastName)
{
    /// <summary>True when the link no longer works at <paramref name="now"/> (whether or not the sweep has marked it yet).</summary>
    public bool IsExpiredAt(DateTimeOffset now) => Status == ListSignupStatus.Expired || Status == ListSignupStatus.Pending && now >= ExpiresAt;
}

/// <summary>Where a double opt-in request stands.</summary>
public enum ListSignupStatus
{
    /// <summary>The confirmation email is out; nobody clicked yet.</summary>
    Pending,

    /// <summary>The link was clicked: the person joined the list.</summary>
    Confirmed,

    /// <summary>Nobody clicked in time; the link no longer works.</summary>
    Expired,
}
