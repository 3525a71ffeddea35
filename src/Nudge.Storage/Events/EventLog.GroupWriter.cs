using System.Data;
using System.Data.Common;
using Nudge.Core.Identity;

namespace Nudge.Storage.Events;

public sealed partial class EventLog
{
    /// <summary>Writes the events of one group inside its transaction, reusing prepared commands.</summary>
    private sealed class GroupWriter(EventLog log, DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        /// <summary>Rows per SQLite INSERT statement: one statement per row costs more than the row itself.</summary>
        private const int RowsPerInsert = 64;

        private const string Columns =
            "workspace_id, message_id, profile_id, partition, type, name, timestamp, received_at, key_kind, body, identity";

        private const string PostgresInsert =
            "INSERT INTO events (" + Columns + ") VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10) " +
            "ON CONFLICT (workspace_id, message_id) DO NOTHING RETURNING seq";

        private const int ValuesPerRow = 12;

        private readonly List<(EventToAppend Event, IdentityDecision Decision, long Sequence)> _pending = new(RowsPerInsert);
        private DbCommand? _insertFull;
        private DbCommand? _insertOne;

        public async Task<AppendOutcome> WriteAsync(EventToAppend e, CancellationToken ct)
        {
            var decision = await ResolveAsync(e, ct);
            if (log._database.IsSqlite)
            {
                // The single writer numbers the log itself, so rows can be buffered and inserted many at a time.
                var sequence = ++log._lastSequence;
                await ApplyAsync(e.WorkspaceId, decision, sequence, ct);
                _pending.Add((e, decision, sequence));
                if (_pending.Count == RowsPerInsert)
                    await FlushAsync(ct);
                return new AppendOutcome(false, sequence, decision.ProfileId);
            }

            var logged = await InsertOneAsync(e, decision, ct);
            if (logged is null)
                return new AppendOutcome(true, 0, "");
            await ApplyAsync(e.WorkspaceId, decision, logged.Value, ct);
            return new AppendOutcome(false, logged.Value, decision.ProfileId);
        }

        /// <summary>Writes what is still buffered; call before the commit.</summary>
        public async Task FlushAsync(CancellationToken ct)
        {
            if (_pending.Count == 0)
                return;

            var command = _pending.Count == RowsPerInsert
                ? _insertFull ??= await PrepareSqliteInsertAsync(RowsPerInsert, ct)
                : await PrepareSqliteInsertAsync(_pending.Count, ct);
            for (var row = 0; row < _pending.Count; row++)
            {
                var (e, decision, sequence) = _pending[row];
                var first = row * ValuesPerRow;
                command.Parameters[first].Value = sequence;
                SetValues(command.Parameters, first + 1, e, decision);
            }

            await command.ExecuteNonQueryAsync(ct);
            if (command != _insertFull)
                await command.DisposeAsync();
            _pending.Clear();
        }

        public async ValueTask DisposeAsync()
        {
            if (_insertFull is not null)
                await _insertFull.DisposeAsync();
            if (_insertOne is not null)
                await _insertOne.DisposeAsync();
        }

        private async Task<DbCommand> PrepareSqliteInsertAsync(int rows, CancellationToken ct)
        {
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(row =>
                "(" + string.Join(", ", Enumerable.Range(row * ValuesPerRow, ValuesPerRow).Select(i => "@p" + i)) + ")"));
            var command = connection.Command($"INSERT INTO events (seq, {Columns}) VALUES {values}", new object?[rows * ValuesPerRow]);
            command.Transaction = transaction;
            await command.PrepareAsync(ct);
            return command;
        }

        private async Task<long?> InsertOneAsync(EventToAppend e, IdentityDecision decision, CancellationToken ct)
        {
            if (_insertOne is null)
            {
                _insertOne = connection.Command(PostgresInsert, new object?[ValuesPerRow - 1]);
                _insertOne.Transaction = transaction;
                // Prepared with typed parameters: PostgreSQL fixes the types at prepare time, and an int
                // sent for a bigint it inferred from a null corrupts the message (08P01).
                foreach (DbParameter parameter in _insertOne.Parameters)
                    parameter.DbType = parameter.ParameterName is "@p3" or "@p4" or "@p6" or "@p7" or "@p8" ? DbType.Int64 : DbType.String;
                await _insertOne.PrepareAsync(ct);
            }

            SetValues(_insertOne.Parameters, 0, e, decision);
            // Another writer sharing the database may have logged the same message id already.
            var returned = await _insertOne.ExecuteScalarAsync(ct);
            return returned is null or DBNull ? null : Convert.ToInt64(returned, System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Sets the values of the columns after <c>seq</c>, in <see cref="Columns"/> order, from <paramref name="first"/> on.</summary>
        private static void SetValues(DbParameterCollection p, int first, EventToAppend e, IdentityDecision decision)
        {
            var m = e.Message;
            p[first].Value = e.WorkspaceId;
            p[first + 1].Value = m.MessageId;
            p[first + 2].Value = decision.ProfileId;
            p[first + 3].Value = (long)Partitioning.Of(decision.ProfileId);
            p[first + 4].Value = (long)m.Type;
            p[first + 5].Value = (object?)m.Name ?? DBNull.Value;
            p[first + 6].Value = m.Timestamp.ToUnixTimeMilliseconds();
            p[first + 7].Value = m.ReceivedAt.ToUnixTimeMilliseconds();
            p[first + 8].Value = (long)e.KeyKind;
            p[first + 9].Value = e.Body;
            p[first + 10].Value = (object?)IdentityJson(EventIdentity.From(decision)) ?? DBNull.Value;
        }

        private async Task<IdentityDecision> ResolveAsync(EventToAppend e, CancellationToken ct)
        {
            var claims = IdentityClaims.Of(e.Message, e.DefaultRegion);
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
