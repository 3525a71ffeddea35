namespace Nudge.Storage.Segments;

/// <summary>Loads and saves the segment state a profile's grain keeps: memberships and condition tallies.</summary>
public sealed class SegmentStateStore(Database database, DerivedStateWriter writer)
{
    /// <summary>The timer kind of a profile's next segment re-evaluation.</summary>
    public const string WakeUpKind = SegmentStateWrites.WakeUpKind;

    private readonly BatchedReads<ProfileSegmentState> _states = new((ids, ct) => ReadStatesAsync(database, ids, ct));

    /// <summary>
    /// What a profile's grain needs when it wakes up: memberships, tally rows and the segment wake-up. Profiles asked
    /// for at the same time are read together, in one round trip (the rows told apart by kind).
    /// </summary>
    public async Task<ProfileSegmentState> LoadAsync(string profileId, CancellationToken ct) =>
        await _states.ReadAsync(profileId, ct) ?? ProfileSegmentState.Empty;

    private static async Task<IReadOnlyDictionary<string, ProfileSegmentState>> ReadStatesAsync(
        Database database, IReadOnlyList<string> profileIds, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var ofProfiles = database.InKeyList("profile_id", "@p0");
        await using var command = connection.Command(
            "SELECT 0, profile_id, segment_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), member, changed_at, changes FROM segment_members " +
            $"WHERE {ofProfiles} " +
            "UNION ALL SELECT 1, profile_id, tally_key, built, live, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) " +
            $"FROM condition_tallies WHERE {ofProfiles} " +
            "UNION ALL SELECT 2, profile_id, '', CAST(NULL AS TEXT), CAST(NULL AS TEXT), due, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM timers " +
            $"WHERE {ofProfiles} AND kind = @p1 AND timer_key = ''",
            database.KeyList(profileIds), SegmentStateWrites.WakeUpKind);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new Dictionary<string, StoredRows>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var profileId = reader.GetString(1);
            var own = rows.GroupOf(profileId);
            switch (reader.GetInt32(0))
            {
                case 0:
                    own.Memberships.Add(new SegmentMembership(reader.GetString(2), profileId, reader.GetInt64(5) == 1,
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetInt64(7)));
                    break;
                case 1:
                    own.Tallies.Add(new TallyRow(reader.GetString(2), reader.NullableString(3), reader.NullableString(4)));
                    break;
                default:
                    own.WakeUp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5));
                    break;
            }
        }
        return rows.ToDictionary(r => r.Key, r => new ProfileSegmentState(r.Value.Memberships, r.Value.Tallies, r.Value.WakeUp), StringComparer.Ordinal);
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

    /// <summary>One profile's rows while they are read.</summary>
    private sealed class StoredRows
    {
        public List<SegmentMembership> Memberships { get; } = [];

        public List<TallyRow> Tallies { get; } = [];

        public DateTimeOffset? WakeUp { get; set; }
    }
}
