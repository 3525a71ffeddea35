using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Nudge.Channels.Email;
using Nudge.Channels.Email.Smtp;
using Nudge.Engine.Consent;
using Nudge.Server.Delivery;
using Nudge.Storage;
using Nudge.Storage.Keys;
using Nudge.Storage.Migrations;
using Nudge.Storage.Outbox;
using Nudge.Storage.Suppressions;
using Nudge.Testing;

namespace Nudge.Server.Tests.Delivery;

/// <summary>
/// The email delivery worker on a real SQLite outbox and a real SMTP pool into Postfix's smtp-sink, in simulated time:
/// each round is run by the test, and time moves only when the test advances it.
/// </summary>
public sealed class DeliveryRig : IAsyncDisposable
{
    public const string Workspace = "ws_delivery";

    private readonly string _folder = Directory.CreateTempSubdirectory("nudge-delivery-").FullName;
    private readonly TestMeters _meters = new();
    private SmtpPool? _pool;
    private EmailDelivery? _worker;

    private DeliveryRig(SmtpSink sink, DeliveryOptions options)
    {
        Sink = sink;
        Options = options;
        Database = new Database(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "nudge.db")}");
        Outbox = new OutboxStore(Database);
        Log = new DeliveryLog(Database);
        Suppressions = new SuppressionStore(Database, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

    public SmtpSink Sink { get; }

    public DeliveryOptions Options { get; }

    public Database Database { get; }

    public OutboxStore Outbox { get; }

    public DeliveryLog Log { get; }

    public SuppressionStore Suppressions { get; }

    public SmtpPool Pool => _pool!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A rig whose sink starts with <paramref name="faults"/> (smtp-sink options), pool of <paramref name="poolSize"/>.</summary>
    public static async Task<DeliveryRig> StartAsync(IReadOnlyList<string>? faults = null, int poolSize = 2, DeliveryOptions? options = null)
    {
        var sink = await SmtpSink.StartAsync(faults, Ct);
        var rig = new DeliveryRig(sink, options ?? new DeliveryOptions());
        await new Migrator(rig.Database, NullLogger<Migrator>.Instance).MigrateAsync(Ct);
        var keys = new KeyStore(rig.Database, rig.Time);
        await keys.EnsureWorkspaceAsync(Workspace, "Delivery shop", "DE", Ct);

        var email = new EmailOptions { Host = SmtpSink.Address, Port = sink.Port, Security = "none", PoolSize = poolSize, From = "Shop <news@shop.example>" };
        rig._pool = new SmtpPool(email, new EmailComposer(new DkimSigning([], rig.Time), rig.Time), rig.Time, NullLogger<SmtpPool>.Instance);
        var links = new PreferenceLinks(keys, Microsoft.Extensions.Options.Options.Create(new PublicLinkOptions { PublicUrl = "https://nudge.shop.example" }));
        rig._worker = new EmailDelivery(rig.Outbox, rig.Suppressions, rig._pool, links, Microsoft.Extensions.Options.Options.Create(email),
            Microsoft.Extensions.Options.Options.Create(rig.Options), new DeliveryMetrics(rig._meters), rig.Time, NullLogger<EmailDelivery>.Instance);
        return rig;
    }

    /// <summary>Writes <paramref name="count"/> emails to the outbox, due now; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> EnqueueAsync(int count, string? profileId = null, string recipient = "ada@example.com")
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var message = OutboxMessage.Email(Workspace, profileId, $"test:{Guid.NewGuid():N}", recipient, $"Hello {i}", $"<p>Hello {i}</p>", $"Hello {i}", Time.GetUtcNow());
            await Outbox.EnqueueAsync(message, Ct);
            ids.Add(message.Id);
        }
        return ids;
    }

    /// <summary>One round of the worker.</summary>
    public Task<int> RunAsync() => _worker!.RunOnceAsync(Ct);

    /// <summary>The current statuses of these messages.</summary>
    public async Task<IReadOnlyList<string>> StatusesAsync(IEnumerable<string> ids)
    {
        var statuses = new List<string>();
        foreach (var id in ids)
            statuses.Add((await Log.GetAsync(Workspace, id, Ct))!.Status);
        return statuses;
    }

    public async Task<IReadOnlyList<string>> HistoryAsync(string id) => (await Log.HistoryAsync(id, Ct)).Select(e => e.Status).ToList();

    /// <summary>How many copies of each Message-ID the sink received.</summary>
    public IReadOnlyDictionary<string, int> CopiesPerMessageId() =>
        Sink.MessageFiles().Select(f => MimeMessage.Load(f)).GroupBy(m => m.MessageId ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (_pool is not null)
            await _pool.DisposeAsync();
        await Sink.DisposeAsync();
        _meters.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class TestMeters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
                meter.Dispose();
        }
    }
}
