using System.Data;
using System.Data.Common;
using Nudge.Core.Identity;

namespace Nudge.Storage.Events;

public sealed partial class EventLog
{
    /// <summary>Writes the events of one group inside its transaction, reusing prepared commands.</summary>
    private sealed class GroupWriter(EventLog log, DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        private const string Columns =
            "workspace_id, message_id, profile_id, partition, type, name, timestamp, received_at, key_kind, body, identity";

        // One row per statement on purpose: Microsoft.Data.Sqlite binds parameters by name, and SQLite looks
        // names up linearly, so a many-row statement costs quadratically more per row (measured: 64 rows per
        // statement ran at a third of the speed of single rows).
        private const string SqliteInsert =
            // The body comes as UTF-8 bytes; the cast stores them as TEXT without transcoding (EventBody).
            "INSERT INTO events (seq, " + Columns + ") VALUES (@p11, @p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, CAST(@p9 AS TEXT), @p10)";

        private const string PostgresInsert =
            "INSERT INTO events (" + Columns + ") VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10) " +
            "ON CONFLICT (workspace_id, message_id) DO NOTHING RETURNING seq";

        private DbCommand? _insert;

        public async Task<AppendOutcome> WriteAsync(EventToAppend e, CancellationToken ct)
        {
            var decision = await ResolveAsync(e, ct);
            var sequence = await InsertAsync(e, decision, ct);
            if (sequence is null)
                return new AppendOutcome(true, 0, "");

            await ApplyAsync(e.WorkspaceId, decision, sequence.Value, ct);
            return new AppendOutcome(false, sequence.Value, decision.ProfileId);
        }

        public async ValueTask DisposeAsync()
        {
            if (_insert is not null)
                await _insert.DisposeAsync();
        }

        private async Task<long?> InsertAsync(EventToAppend e, IdentityDecision decision, CancellationToken ct)
        {
            var sqlite = log._database.IsSqlite;
            if (_insert is null)
            {
                _insert = connection.Command(sqlite ? SqliteInsert : PostgresInsert, new object?[sqlite ? 12 : 11]);
                _insert.Transaction = transaction;
                // Prepared with typed parameters: PostgreSQL fixes the types at prepare time, and an int
                // sent for a bigint it inferred from a null corrupts the message (08P01).
                foreach (DbParameter parameter in _insert.Parameters)
                    parameter.DbType = parameter.ParameterName is "@p3" or "@p4" or "@p6" or "@p7" or "@p8" or "@p11" ? DbType.Int64 : DbType.String;
                await _insert.PrepareAsync(ct);
            }

            var m = e.Message;
            var p = _insert.Parameters;
            p[0].Value = e.WorkspaceId;
            p[1].Value = m.MessageId;
            p[2].Value = decision.ProfileId;
            p[3].Value = (long)Partitioning.Of(decision.ProfileId);
            p[4].Value = (long)m.Type;
            p[5].Value = (object?)m.Name ?? DBNull.Value;
            p[6].Value = m.Timestamp.ToUnixTimeMilliseconds();
            p[7].Value = m.ReceivedAt.ToUnixTimeMilliseconds();
            p[8].Value = (long)e.KeyKind;
            p[9].Value = sqlite ? e.Body.Utf8 : e.Body.Text;
            p[10].Value = (object?)IdentityJson(EventIdentity.From(decision)) ?? DBNull.Value;

            if (sqlite)
            {
                // The single writer numbers the log itself: no round trip for the new sequence number.
                var sequence = log._lastSequence + 1;
                p[11].Value = sequence;
                await _insert.ExecuteNonQueryAsync(ct);
                log._lastSequence = sequence;
                return sequence;
            }

            // Another writer sharing the database may have logged the same message id already.
            var returned = await _insert.ExecuteScalarAsync(ct);
            return returned is null or DBNull ? null : Convert.ToInt64(returned, System.Globalization.CultureInfo.InvariantCulture);
        }

        private async Task<IdentityDecision> ResolveAsync(EventToAppend e, CancellationToken ct)
        {
            if (e.ForProfile is { } known)
                return new IdentityDecision(known, false, [], [], []);

            var claims = e.Claims;
            var links = new Dictionary<IdentityKey, IdentityLink>();
            var heads = new Dictionary<string, ProfileHead>();
            foreach (var claim in claims)
            {
                if (await log._identities.FindLinkAsync(connection, transaction, e.WorkspaceId, claim, ct) is not { } link)
                    continue;
                links[claim] = link;
                if (!heads.ContainsKey(link.ProfileId))
                    heads[link.ProfileId] = await log._identities.FindProfileAsync(connection, transaction, link.ProfileId, ct);
            }

            return IdentityResolution.Resolve(
                claims,
                e.KeyKind,
                key => links.GetValueOrDefault(key),
                id => heads[id],
                () => "prf_" + Guid.CreateVersion7().ToString("N"));
        }

        private async Task ApplyAsync(string workspace, IdentityDecision decision, long sequence, CancellationToken ct)
        {
            if (decision.Links.Count == 0 && decision.Absorbed.Count == 0)
                return;

            var head = await HeadAsync(decision, ct);
            foreach (var absorbed in decision.Absorbed)
            {
                var absorbedHead = await log._identities.FindProfileAsync(connection, transaction, absorbed, ct);
                head = head with { Verified = head.Verified || absorbedHead.Verified, UserId = head.UserId ?? absorbedHead.UserId };
                foreach (var (key, verified) in await IdentityDirectory.LinksOfAsync(connection, transaction, absorbed, ct))
                    log._identities.StageLink(workspace, new IdentityLink(key, decision.ProfileId, verified));
                await Exec(connection, transaction, "UPDATE identities SET profile_id = @p0 WHERE profile_id = @p1", ct, decision.ProfileId, absorbed);
                await Exec(connection, transaction,
                    "INSERT INTO profile_merges (absorbed_id, survivor_id, workspace_id, seq) VALUES (@p0, @p1, @p2, @p3)",
                    ct, absorbed, decision.ProfileId, workspace, sequence);
            }

            var now = log._time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var link in decision.Links)
            {
                await Exec(connection, transaction,
                    "INSERT INTO identities (workspace_id, kind, value, profile_id, verified, linked_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5) " +
                    "ON CONFLICT (workspace_id, kind, value) DO UPDATE SET profile_id = excluded.profile_id, " +
                    "verified = CASE WHEN excluded.verified > identities.verified THEN excluded.verified ELSE identities.verified END, linked_at = excluded.linked_at",
                    ct, workspace, (int)link.Key.Kind, link.Key.Value, link.ProfileId, link.Verified ? 1 : 0, now);
                log._identities.StageLink(workspace, link);
                head = head with
                {
                    Verified = head.Verified || link.Verified,
                    UserId = head.UserId ?? (link.Key.Kind == IdentityKind.UserId ? link.Key.Value : null),
                };
            }

            log._identities.StageHead(head);
        }

        private async Task<ProfileHead> HeadAsync(IdentityDecision decision, CancellationToken ct) =>
            decision.IsNewProfile
                ? new ProfileHead(decision.ProfileId, false, null)
                : await log._identities.FindProfileAsync(connection, transaction, decision.ProfileId, ct);
    }
}
