using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Engine.Coupons;
using Nudge.Engine.Flows;
using Nudge.Storage;
using Nudge.Storage.Coupons;
using Nudge.Storage.Events;
using Nudge.Storage.Flows;
using Nudge.Storage.Migrations;
using Nudge.Storage.Timers;

namespace Nudge.Engine.Tests.Support;

/// <summary>
/// The flow engine without Orleans, on a real SQLite database in a temp folder and a simulated clock: what a
/// profile grain does with its runs, made restartable, so tests can cut it at any persistence point and start it
/// again the way a crashed server restarts (state read back from the store, stimuli delivered again).
/// </summary>
internal sealed class FlowEngine : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nudge-flows-");
    private EventLog? _log;
    private DerivedStateWriter? _writer;

    public const string Workspace = Segments.Workspace;

    public FakeTimeProvider Clock { get; } = new(Segments.Start);

    public Database Database { get; private set; } = null!;

    public FlowStore Flows { get; private set; } = null!;

    public FlowRunStore Runs { get; private set; } = null!;

    public FlowCatalog Catalog { get; private set; } = null!;

    /// <summary>Where coupon steps take their codes from.</summary>
    public CouponStore Coupons => new(Database, Clock);

    public EventLog Log => _log!;

    public Profile Ada { get; } = Profile.Empty("prf_ada", Segments.Workspace) with
    {
        Identities = [new IdentityKey(IdentityKind.Email, "ada@example.com")],
    };

    public static async Task<FlowEngine> StartAsync()
    {
        var engine = new FlowEngine();
        var file = Path.Combine(engine._folder.FullName, "nudge.db");
        engine.Database = new Database(StorageProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = file }.ToString());
        await new Migrator(engine.Database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        engine._log = new EventLog(engine.Database, new StorageOptions(), engine.Clock, new LogSignal(), NullLogger<EventLog>.Instance);
        await engine._log.StartAsync(CancellationToken.None);
        engine._writer = new DerivedStateWriter(engine.Database);
        engine.Flows = new FlowStore(engine.Database, engine.Clock);
        engine.Runs = new FlowRunStore(engine.Database);
        engine.Catalog = new FlowCatalog(engine.Flows);
        return engine;
    }

    /// <summary>A live flow from its definition; returns its id.</summary>
    public async Task<string> LiveFlowAsync(string definition)
    {
        var name = JsonDocument.Parse(definition).RootElement.GetProperty("name").GetString()!;
        var flow = await Flows.CreateAsync(Segments.Workspace, name, definition, CancellationToken.None);
        await Catalog.ChangeAsync(() => Flows.SetStatusAsync(Segments.Workspace, flow.Id, FlowRecord.Live, CancellationToken.None), CancellationToken.None);
        return flow.Id;
    }

    /// <summary>A fresh engine process: nothing in memory, everything read back from the store.</summary>
    public FlowHost Host(IFlowCrashes? crashes = null) =>
        new(Catalog, Runs, new FlowRecorder(_writer!, Log, Clock, crashes ?? new NoFlowCrashes(),
            new CouponAssigner(Coupons, NullLogger<CouponAssigner>.Instance)), new EventReader(Database), Clock);

    /// <summary>An event of Ada's as the log hands it to her grain.</summary>
    public LoggedEvent Event(string name, object? properties = null, long sequence = 1)
    {
        var now = Clock.GetUtcNow();
        var body = JsonSerializer.SerializeToElement(new { type = "track", @event = name, properties = properties ?? new { } });
        return new LoggedEvent(sequence, Segments.Workspace, Ada.Id, "msg_" + sequence.ToString(CultureInfo.InvariantCulture), MessageType.Track, name,
            now, now, KeyKind.Server, body, EventIdentity.None);
    }

    /// <summary>The run wake-ups due now, as the wake-up service claims them.</summary>
    public Task<IReadOnlyList<DueTimer>> DueAsync() => new TimerStore(Database).DueAsync(Clock.GetUtcNow(), 100, CancellationToken.None);

    public Task CompleteAsync(IReadOnlyList<DueTimer> timers) => new TimerStore(Database).CompleteAsync(timers.ToList(), CancellationToken.None);

    public async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = args[i];
            command.Parameters.Add(parameter);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
            await _writer.DisposeAsync();
        if (_log is not null)
            await _log.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Crashes the engine the <paramref name="occurrence"/>-th time it reaches <paramref name="point"/>.</summary>
internal sealed class CrashAt(FlowCrashPoint point, int occurrence) : IFlowCrashes
{
    private int _seen;

    public bool Crashed { get; private set; }

    public void At(FlowCrashPoint reached, string runId)
    {
        if (reached != point || ++_seen != occurrence)
            return;
        Crashed = true;
        throw new SimulatedCrash($"crashed at {point} (#{occurrence}) in {runId}");
    }
}

/// <summary>The process died here (in a test).</summary>
internal sealed class SimulatedCrash(string message) : Exception(message);
