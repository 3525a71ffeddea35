namespace Nudge.Storage.Segments;

/// <summary>Loads and saves the segment state a profile's grain keeps: memberships and condition tallies.</summary>
public sealed class SegmentStateStore(Database database, DerivedStateWriter writer)
{
    /// <summary>The timer kind of a profile's next segment re-evaluation.</summary>
    public const string WakeUpKind = SegmentStateWrites.WakeUpKind;

    public async Task<ProfileSegmentState> LoadAsync(string profileId, CancellationToken ct)
    {
        // One round trip when a profile's grain wakes up: memberships, tally rows and the wake-up, told apart by kind.
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT 0, segment_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), member, changed_at, changes FROM segment_members WHERE profile_id = @p0 " +
            "UNION ALL SELECT 1, tally_key, built, live, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM condition_tallies WHERE profile_id = @p0 " +
            "UNION ALL SELECT 2, '', CAST(NULL AS TEXT), CAST(NULL AS TEXT), due, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM timers " +
            "WHERE profile_id = @p0 AND kind = @p1 AND timer_key = ''",
            profileId, SegmentStateWrites.WakeUpKind);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var memberships = new List<SegmentMembership>();
        var tallies = new List<TallyRow>();
        DateTimeOffset? wakeUp = null;
        while (await reader.ReadAsync(ct))
        {
            switch (reader.GetInt32(0))
            {
                case 0:
                    memberships.Add(new SegmentMembership(reader.GetString(1), profileId, reader.GetInt64(4) == 1,
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetInt64(6)));
                    break;
                case 1:
                    tallies.Add(new TallyRow(reader.GetString(1), reader.NullableString(2), reader.NullableString(3)));
                    break;
                default:
                    wakeUp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4));
                    break;
            }
        }
        return memberships.Count == 0 && tallies.Count == 0 && wakeUp is null
            ? ProfileSegmentState.Empty
            : new ProfileSegmentState(memberships, tallies, wakeUp);
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

    /// <summary>Saves a profile's state together with its segment and list membership changes, in one transaction.</summary>
    public Task SaveAsync(Nudge.Core.Profiles.Profile profile, SegmentStateChanges? changes, Lists.ListMembershipChanges? lists, CancellationToken ct) =>
        writer.SaveProfileAsync(profile, changes, lists, ct);
}
