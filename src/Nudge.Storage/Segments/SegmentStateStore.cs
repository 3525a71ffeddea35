namespace Nudge.Storage.Segments;

/// <summary>Loads and saves the segment state a profile's grain keeps: memberships and condition tallies.</summary>
public sealed class SegmentStateStore(Database database, DerivedStateWriter writer)
{
    public async Task<ProfileSegmentState> LoadAsync(string profileId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var memberships = await SegmentMembers.ReadAsync(connection,
            "SELECT segment_id, profile_id, member, changed_at, changes FROM segment_members WHERE profile_id = @p0", ct, profileId);
        var tallies = new List<TallyRow>();
        await using (var command = connection.Command("SELECT tally_key, built, live FROM condition_tallies WHERE profile_id = @p0", profileId))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                tallies.Add(new TallyRow(reader.GetString(0), reader.NullableString(1), reader.NullableString(2)));
        }

        var wakeUp = await connection.ScalarAsync<long?>(
            "SELECT due FROM timers WHERE profile_id = @p0 AND kind = @p1 AND timer_key = ''", ct, profileId, SegmentStateWrites.WakeUpKind);
        return memberships.Count == 0 && tallies.Count == 0 && wakeUp is null
            ? ProfileSegmentState.Empty
            : new ProfileSegmentState(memberships, tallies, wakeUp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
    }

    /// <summary>The built parts of some tallies of a profile (read again when a segment's build finished).</summary>
    public async Task<IReadOnlyList<TallyRow>> LoadTalliesAsync(string profileId, string keyPrefix, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT tally_key, built, live FROM condition_tallies WHERE profile_id = @p0 AND tally_key >= @p1 AND tally_key < @p2",
            profileId, keyPrefix, keyPrefix + "\uffff");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tallies = new List<TallyRow>();
        while (await reader.ReadAsync(ct))
            tallies.Add(new TallyRow(reader.GetString(0), reader.NullableString(1), reader.NullableString(2)));
        return tallies;
    }

    /// <summary>The membership rows of one profile in one segment, if any.</summary>
    public async Task<SegmentMembership?> LoadMembershipAsync(string profileId, string segmentId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await SegmentMembers.ReadAsync(connection,
            "SELECT segment_id, profile_id, member, changed_at, changes FROM segment_members WHERE segment_id = @p0 AND profile_id = @p1",
            ct, segmentId, profileId);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Saves a profile's state together with its segment changes, in one transaction.</summary>
    public Task SaveAsync(Nudge.Core.Profiles.Profile profile, SegmentStateChanges? changes, CancellationToken ct) =>
        writer.SaveProfileAsync(profile, changes, ct);

    /// <summary>Saves a profile's state together with its segment and list membership changes, in one transaction.</summary>
    public Task SaveAsync(Nudge.Core.Profiles.Profile profile, SegmentStateChanges? changes, Lists.ListMembershipChanges? lists, CancellationToken ct) =>
        writer.SaveProfileAsync(profile, changes, lists, ct);
}
