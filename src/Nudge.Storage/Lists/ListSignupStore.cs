using System.Data.Common;
using Nudge.Storage.Outbox;

namespace Nudge.Storage.Lists;

/// <summary>Double opt-in requests and their confirmation emails.</summary>
public sealed class ListSignupStore(Database database)
{
    private const string Columns =
        "id, workspace_id, list_id, email, status, requested_at, expires_at, confirmed_at, ip, user_agent, wording, first_name, last_name";

    /// <summary>
    /// Stores a pending request together with its confirmation email in the outbox, in one transaction: there is
    /// never a request without its email, nor an email for a request that was not stored.
    /// </summary>
    public async Task CreateAsync(ListSignup signup, OutboxMessage confirmation, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = connection.Command(
            $"INSERT INTO list_signups ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12)",
            signup.Id, signup.WorkspaceId, signup.ListId, signup.Email, StatusText(signup.Status),
            signup.RequestedAt.ToUnixTimeMilliseconds(), signup.ExpiresAt.ToUnixTimeMilliseconds(), signup.ConfirmedAt?.ToUnixTimeMilliseconds(),
            signup.Ip, signup.UserAgent, signup.Wording, signup.FirstName, signup.LastName))
        {
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(ct);
        }
        await OutboxStore.InsertAsync(connection, transaction, confirmation, ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<ListSignup?> GetAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection, $"SELECT {Columns} FROM list_signups WHERE id = @p0", ct, id);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The newest pending request for this address and list made at or after <paramref name="since"/>, if any.</summary>
    public async Task<ListSignup?> RecentPendingAsync(string listId, string email, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await ReadAsync(connection,
            $"SELECT {Columns} FROM list_signups WHERE list_id = @p0 AND email = @p1 AND requested_at >= @p2 AND status = 'pending' " +
            "ORDER BY requested_at DESC LIMIT 1",
            ct, listId, email, since.ToUnixTimeMilliseconds());
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Marks a pending request confirmed; false when it was not pending (already confirmed, or expired).</summary>
    public async Task<bool> ConfirmAsync(string id, DateTimeOffset at, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE list_signups SET status = 'confirmed', confirmed_at = @p1 WHERE id = @p0 AND status = 'pending'",
            ct, id, at.ToUnixTimeMilliseconds()) == 1;
    }

    /// <summary>Marks one pending request expired (found expired when its link was clicked).</summary>
    public async Task ExpireAsync(string id, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync("UPDATE list_signups SET status = 'expired' WHERE id = @p0 AND status = 'pending'", ct, id);
    }

    /// <summary>Marks every pending request whose time ran out at <paramref name="now"/> expired; returns how many.</summary>
    public async Task<int> ExpireDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(
            "UPDATE list_signups SET status = 'expired' WHERE status = 'pending' AND expires_at <= @p0", ct, now.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// Forgets the requests of these addresses and their confirmation emails (GDPR erasure): they hold the address,
    /// the IP and the browser of the person.
    /// </summary>
    public async Task ForgetAsync(string workspaceId, IEnumerable<string> emails, CancellationToken ct)
    {
        using var turn = await database.WriteTurnAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var email in emails)
        {
            // The delivery log's entries go with their messages: SMTP replies can quote the address.
            await using (var history = connection.Command(
                "DELETE FROM message_events WHERE outbox_id IN (SELECT id FROM outbox WHERE workspace_id = @p0 AND recipient = @p1 AND message_key IN " +
                "(SELECT 'optin:' || id FROM list_signups WHERE workspace_id = @p0 AND email = @p1))", workspaceId, email))
            {
                history.Transaction = transaction;
                await history.ExecuteNonQueryAsync(ct);
            }
            await using (var outbox = connection.Command(
                "DELETE FROM outbox WHERE workspace_id = @p0 AND recipient = @p1 AND message_key IN " +
                "(SELECT 'optin:' || id FROM list_signups WHERE workspace_id = @p0 AND email = @p1)", workspaceId, email))
            {
                outbox.Transaction = transaction;
                await outbox.ExecuteNonQueryAsync(ct);
            }
            await using var signups = connection.Command("DELETE FROM list_signups WHERE workspace_id = @p0 AND email = @p1", workspaceId, email);
            signups.Transaction = transaction;
            await signups.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The outbox key of a request's confirmation email.</summary>
    public static string ConfirmationKey(string signupId) => "optin:" + signupId;

    private static string StatusText(ListSignupStatus status) => status switch
    {
        ListSignupStatus.Confirmed => "confirmed",
        ListSignupStatus.Expired => "expired",
        _ => "pending",
    };

    private static async Task<IReadOnlyList<ListSignup>> ReadAsync(DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var signups = new List<ListSignup>();
        while (await reader.ReadAsync(ct))
        {
            signups.Add(new ListSignup(
                Id: reader.GetString(0),
                WorkspaceId: reader.GetString(1),
                ListId: reader.GetString(2),
                Email: reader.GetString(3),
                Status: reader.GetString(4) switch { "confirmed" => ListSignupStatus.Confirmed, "expired" => ListSignupStatus.Expired, _ => ListSignupStatus.Pending },
                RequestedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                ExpiresAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                ConfirmedAt: reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                Ip: reader.NullableString(8),
                UserAgent: reader.NullableString(9),
                Wording: reader.NullableString(10),
                FirstName: reader.NullableString(11),
                LastName: reader.NullableString(12)));
        }
        return signups;
    }
}
