using Nudge.Storage.Segments;
using Nudge.Storage.Tests.Support;
using Nudge.Storage.Timers;

namespace Nudge.Storage.Tests.Contracts;

public abstract class TimerStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private TimerStore Timers => new(Database);

    [Fact]
    public async Task Only_timers_whose_moment_has_come_are_due_earliest_first()
    {
        await WakeUpAsync("prf_late", Some.Start.AddMinutes(10));
        await WakeUpAsync("prf_early", Some.Start.AddMinutes(5));
        await WakeUpAsync("prf_future", Some.Start.AddHours(1));

        var due = await Timers.DueAsync(Some.Start.AddMinutes(10), 100, Ct);

        Assert.Equal(["prf_early", "prf_late"], due.Select(t => t.ProfileId));
        Assert.Equal(Some.Start.AddMinutes(5), await Timers.NextDueAsync(Ct));
    }

    [Fact]
    public async Task Completing_a_timer_removes_it_unless_it_was_moved_meanwhile()
    {
        await WakeUpAsync("prf_1", Some.Start);
        await WakeUpAsync("prf_2", Some.Start);
        var due = await Timers.DueAsync(Some.Start, 100, Ct);
        await WakeUpAsync("prf_2", Some.Start.AddDays(1));

        await Timers.CompleteAsync(due, Ct);

        Assert.Equal(Some.Start.AddDays(1), await Timers.NextDueAsync(Ct));
    }

    [Fact]
    public async Task A_build_only_moves_a_wake_up_earlier()
    {
        await WakeUpAsync("prf_1", Some.Start.AddDays(2));
        var builds = new SegmentBuildWrites(Database);

        await builds.WriteAsync([new BuiltProfile("prf_1", true, Some.Start, [], Some.Start.AddDays(5))], "seg_1", Ct);
        var unchanged = await Timers.NextDueAsync(Ct);
        await builds.WriteAsync([new BuiltProfile("prf_1", true, Some.Start, [], Some.Start.AddDays(1))], "seg_1", Ct);

        Assert.Equal((Some.Start.AddDays(2), Some.Start.AddDays(1)), (unchanged, await Timers.NextDueAsync(Ct)));
    }

    private Task WakeUpAsync(string profileId, DateTimeOffset due) =>
        new SegmentStateStore(Database, DerivedState).SaveAsync(
            Some.Profile(userId: profileId) with { Id = profileId }, new SegmentStateChanges(profileId, [], null, [], due, true), null, Ct);
}

public sealed class SqliteTimerStoreContract() : TimerStoreContract(new SqliteDatabases());

public sealed class PostgresTimerStoreContract(PostgresDatabases postgres) : TimerStoreContract(postgres);
