using Nudge.Storage.Outbox;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class OutboxStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private OutboxStore Store => new(Database);

    [Fact]
    public async Task An_enqueued_email_is_pending_and_due_at_once()
    {
        var email = Email("optin:sgn_1", "Please confirm");

        Assert.True(await Store.EnqueueAsync(email, Ct));

        Assert.Equal(email, await Store.FindAsync("optin:sgn_1", Ct));
        Assert.Equal(("pending", 0, Some.Start), (email.Status, email.Attempts, email.NextAttemptAt));
    }

    [Fact]
    public async Task Writing_the_same_message_key_twice_keeps_only_the_first_message()
    {
        await Store.EnqueueAsync(Email("optin:sgn_1", "First"), Ct);

        var again = await Store.EnqueueAsync(Email("optin:sgn_1", "Second"), Ct);

        Assert.False(again);
        Assert.Equal("First", (await Store.FindAsync("optin:sgn_1", Ct))!.Subject);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE message_key = @p0", "optin:sgn_1"));
    }

    [Fact]
    public async Task Messages_to_a_recipient_are_listed_oldest_first()
    {
        await Store.EnqueueAsync(Email("optin:sgn_1", "First"), Ct);
        await Store.EnqueueAsync(Email("optin:sgn_2", "Second", Some.Start.AddMinutes(1)), Ct);
        await Store.EnqueueAsync(Email("optin:sgn_3", "Other", recipient: "bob@example.com"), Ct);

        var messages = await Store.ToRecipientAsync(Some.Workspace, "ada@example.com", Ct);

        Assert.Equal(["First", "Second"], messages.Select(m => m.Subject));
    }

    private static OutboxMessage Email(string key, string subject, DateTimeOffset? at = null, string recipient = "ada@example.com") =>
        OutboxMessage.Email(Some.Workspace, null, key, recipient, subject, "<p>Hi</p>", "Hi", at ?? Some.Start);
}

public sealed class SqliteOutboxStoreContract() : OutboxStoreContract(new SqliteDatabases());

public sealed class PostgresOutboxStoreContract(PostgresDatabases postgres) : OutboxStoreContract(postgres);
