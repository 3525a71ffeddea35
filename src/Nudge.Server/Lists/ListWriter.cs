using Microsoft.Extensions.Options;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Server.Hosting;
using Nudge.Storage.Events;
using Nudge.Storage.Keys;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>
/// Changes list membership the only way it changes: by appending <c>List Joined</c> / <c>List Left</c> to the log
/// (ADR 0008). Where a person stands is read from the saved memberships, which name the next message id.
/// </summary>
public sealed class ListWriter(EventLog log, ListMembers members, KeyStore keys, IOptions<NudgeOptions> options, TimeProvider time)
{
    private const int LeavePage = 1000;

    /// <summary>The country for phone numbers without a country code in this workspace.</summary>
    public async Task<string?> RegionAsync(string workspaceId, CancellationToken ct) =>
        (await keys.FindWorkspaceAsync(workspaceId, ct))?.DefaultRegion ?? options.Value.DefaultRegion;

    /// <summary>Where the person stands on the list; null for ids nobody has yet.</summary>
    public async Task<ListStanding?> StandingAsync(string workspaceId, string listId, ListSubject who, CancellationToken ct)
    {
        if (who.ProfileId is { } profileId)
            return await members.StandingAsync(listId, profileId, ct);
        var key = KeyOf(who);
        return (await members.StandingsAsync(workspaceId, listId, [key], ct)).GetValueOrDefault(key);
    }

    /// <summary>Puts a person on a list (an admin's add, which needs no opt-in: the admin vouches for it).</summary>
    public async Task<MemberChange> AddAsync(string workspaceId, ListRecord list, ListSubject who, string source, CancellationToken ct)
    {
        var standing = await StandingAsync(workspaceId, list.Id, who, ct);
        if (standing is { IsMember: true })
            return new MemberChange(list.Id, standing.ProfileId, MemberChange.AlreadyMember);

        var joined = ListMessages.Joined(
            workspaceId, list, who, source, ListMessages.JoinId(list.Id, who, standing?.Changes ?? 0), time.GetUtcNow(), await RegionAsync(workspaceId, ct));
        var outcome = (await log.AppendAsync([joined], ct))[0];
        return new MemberChange(list.Id, outcome.Duplicate ? standing?.ProfileId : outcome.ProfileId, MemberChange.Joined);
    }

    /// <summary>Takes a member off a list; null when the profile is not on it.</summary>
    public async Task<MemberChange?> RemoveAsync(string workspaceId, ListRecord list, string profileId, string source, CancellationToken ct)
    {
        var standing = await members.StandingAsync(list.Id, profileId, ct);
        if (!standing.IsMember)
            return null;
        var who = ListSubject.OfProfile(profileId);
        await log.AppendAsync(
            [ListMessages.Left(workspaceId, list.Id, list.Name, who, source, ListMessages.LeaveId(list.Id, who, standing.Changes), time.GetUtcNow())], ct);
        return new MemberChange(list.Id, profileId, MemberChange.Left);
    }

    /// <summary>Every member leaves a deleted list, so segments and flows that read it see them go.</summary>
    public async Task LeaveAllAsync(string workspaceId, ListRecord list, CancellationToken ct)
    {
        string? after = null;
        while (await members.PageAsync(list.Id, after, LeavePage, ct) is { Count: > 0 } page)
        {
            var now = time.GetUtcNow();
            var leaves = new List<EventToAppend>(page.Count);
            foreach (var member in page)
            {
                var who = ListSubject.OfProfile(member.ProfileId);
                leaves.Add(ListMessages.Left(workspaceId, list.Id, list.Name, who, "list deleted", ListMessages.LeaveId(list.Id, who, member.Changes), now, KeyKind.Internal));
            }
            await log.AppendAsync(leaves, ct);
            after = page[^1].ProfileId;
        }
    }

    /// <summary>The id a subject named by user id or email is looked up by.</summary>
    public static IdentityKey KeyOf(ListSubject who) =>
        who.UserId is { } userId ? new IdentityKey(IdentityKind.UserId, userId) : new IdentityKey(IdentityKind.Email, who.Email!);
}

/// <summary>What adding or removing a member did.</summary>
/// <param name="ListId">The list.</param>
/// <param name="ProfileId">The member's profile (null only when a retried add of a new person found nothing saved yet).</param>
/// <param name="Status"><c>joined</c> or <c>left</c> (logged; the member lists show it within about a second), or <c>alreadyMember</c> (nothing logged).</param>
public sealed record MemberChange(string ListId, string? ProfileId, string Status)
{
    public const string Joined = "joined";
    public const string Left = "left";
    public const string AlreadyMember = "alreadyMember";
}
