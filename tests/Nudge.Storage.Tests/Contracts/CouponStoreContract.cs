using System.Globalization;
using Nudge.Core.Coupons;
using Nudge.Storage.Coupons;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class CouponStoreContract(IDatabaseSource databases) : StoreContract(databases)
{
    private CouponStore Store => new(Database, Time);

    private static CouponPoolSettings Settings(int? days = null, DateTimeOffset? until = null, int lowThreshold = 2) =>
        new("Welcome 10 %", null, CouponType.Percent, 10m, null, new CouponValidity(null, until, days), 1, lowThreshold, null);

    private async Task<CouponPool> PoolWithAsync(int codes, CouponPoolSettings? settings = null)
    {
        var pool = await Store.CreatePoolAsync(Some.Workspace, settings ?? Settings(), Ct);
        await Store.AddCodesAsync(Some.Workspace, pool.Id, Enumerable.Range(1, codes).Select(i => $"CODE-{i:D4}"), "uploaded", Ct);
        return pool;
    }

    [Fact]
    public async Task A_pool_keeps_its_settings()
    {
        var settings = new CouponPoolSettings("5 € off", "for the newsletter", CouponType.Fixed, 5.5m, "EUR",
            new CouponValidity(Some.Start, Some.Start.AddDays(30), 14), 3, 50, "con_shop");

        var pool = await Store.CreatePoolAsync(Some.Workspace, settings, Ct);

        Assert.Equal(settings, pool.Settings);
        Assert.Equal(pool, await Store.GetPoolAsync(Some.Workspace, pool.Id, Ct));
        Assert.Null(await Store.GetPoolAsync(Some.OtherWorkspace, pool.Id, Ct));
        Assert.Equal([pool.Id], (await Store.ListPoolsAsync(Some.Workspace, Ct)).Select(p => p.Id));
    }

    [Fact]
    public async Task Codes_the_pool_has_in_any_spelling_are_reported_and_not_added_again()
    {
        var pool = await PoolWithAsync(0);
        await Store.AddCodesAsync(Some.Workspace, pool.Id, ["SUMMER-1", "SUMMER-2"], "uploaded", Ct);

        var again = await Store.AddCodesAsync(Some.Workspace, pool.Id, ["summer-1", "SUMMER-3"], "uploaded", Ct);

        Assert.Equal(1, again.Added);
        Assert.Equal(["summer-1"], again.AlreadyInPool);
        Assert.Equal(3, (await Store.StatsAsync(pool, Ct)).Total);
    }

    [Fact]
    public async Task Generated_codes_are_unique_in_the_pool_and_follow_the_pattern()
    {
        var pool = await PoolWithAsync(0);
        var (pattern, _) = CodePattern.Parse("WELCOME-######");

        Assert.Equal(1500, await Store.GenerateAsync(Some.Workspace, pool.Id, pattern!, 1500, Ct));
        Assert.Equal(500, await Store.GenerateAsync(Some.Workspace, pool.Id, pattern!, 500, Ct));

        var codes = await Store.PageAsync(pool.Id, null, 5000, Ct);
        Assert.Equal(2000, codes.Count);
        Assert.Equal(2000, codes.Select(c => c.Code).Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^WELCOME-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$", c.Code));
    }

    [Fact]
    public async Task Assigning_twice_with_the_same_key_gives_the_same_code()
    {
        var pool = await PoolWithAsync(5);

        var first = await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "run_1:coupon", "run_1", Ct);
        var again = await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "run_1:coupon", "run_1", Ct);
        var other = await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "run_2:coupon", "run_2", Ct);

        Assert.True(first.IsNew);
        Assert.False(again.IsNew);
        Assert.Equal(first.Coupon, again.Coupon);
        Assert.NotEqual(first.Coupon!.Code, other.Coupon!.Code);
        Assert.Equal(3, (await Store.StatsAsync(pool, Ct)).Available);
    }

    [Fact]
    public async Task Concurrent_assignments_never_give_one_code_to_two_callers()
    {
        var pool = await PoolWithAsync(20);

        // More callers than codes, all at once (kept under the test server's connection limit).
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() =>
            Store.AssignAsync(Some.Workspace, pool.Id, $"prf_{i}", $"run_{i}:coupon", $"run_{i}", Ct))));

        var given = results.Where(r => r.Coupon is not null).Select(r => r.Coupon!.Code).ToList();
        Assert.Equal(20, given.Count);
        Assert.Equal(20, given.Distinct().Count());
        Assert.All(results.Where(r => r.Coupon is null), r => Assert.Contains("no codes left", r.Refusal, StringComparison.Ordinal));
        Assert.Equal(0, (await Store.StatsAsync(pool, Ct)).Available);
    }

    [Fact]
    public async Task Concurrent_assignments_with_one_key_all_get_the_same_code()
    {
        var pool = await PoolWithAsync(40);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() =>
            Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "run_1:coupon", "run_1", Ct))));

        Assert.Single(results.Select(r => r.Coupon!.Code).Distinct());
        Assert.Single(results, r => r.IsNew);
        Assert.Equal(39, (await Store.StatsAsync(pool, Ct)).Available);
    }

    [Fact]
    public async Task A_code_valid_for_some_days_after_assignment_expires_exactly_then()
    {
        var pool = await PoolWithAsync(3, Settings(days: 14));
        var assigned = (await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "k1", null, Ct)).Coupon!;
        Assert.Equal(Some.Start.AddDays(14), assigned.ExpiresAt);

        Time.Advance(TimeSpan.FromDays(14) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, (await Store.StatsAsync(pool, Ct)).Assigned);
        Assert.Equal("assigned", assigned.Status(Time.GetUtcNow()));

        Time.Advance(TimeSpan.FromMilliseconds(1));
        var stats = await Store.StatsAsync(pool, Ct);
        Assert.Equal((0L, 1L, 2L), (stats.Assigned, stats.Expired, stats.Available));
        Assert.Equal("expired", (await Store.ForProfileAsync(Some.Workspace, "prf_ada", Ct))[0].Status(Time.GetUtcNow()));
    }

    [Fact]
    public async Task The_earlier_of_the_end_date_and_the_days_after_assignment_wins()
    {
        var pool = await PoolWithAsync(3, Settings(days: 14, until: Some.Start.AddDays(3)));

        var assigned = (await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "k1", null, Ct)).Coupon!;

        Assert.Equal(Some.Start.AddDays(3), assigned.ExpiresAt);
    }

    [Fact]
    public async Task A_pool_past_its_end_date_gives_no_codes_and_counts_the_rest_expired()
    {
        var pool = await PoolWithAsync(3, Settings(until: Some.Start.AddDays(1)));
        Time.Advance(TimeSpan.FromDays(2));

        var refused = await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "k1", null, Ct);

        Assert.Null(refused.Coupon);
        Assert.Contains("ended", refused.Refusal, StringComparison.Ordinal);
        var stats = await Store.StatsAsync(pool, Ct);
        Assert.Equal((0L, 3L), (stats.Available, stats.Expired));
    }

    [Fact]
    public async Task The_count_after_an_assignment_says_when_the_pool_runs_low()
    {
        var pool = await PoolWithAsync(5, Settings(lowThreshold: 2));

        var counts = new List<long>();
        for (var i = 0; i < 5; i++)
            counts.Add((await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "k" + i.ToString(CultureInfo.InvariantCulture), null, Ct)).AvailableAfter);

        // Counted up to the threshold + 1: 3 means "more than 2 left".
        Assert.Equal([3L, 3L, 2L, 1L, 0L], counts);
    }

    [Fact]
    public async Task A_redeemed_code_is_redeemed_once_and_a_replay_of_the_same_event_finds_it_again()
    {
        var pool = await PoolWithAsync(2);
        var code = (await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "k1", "run_1", Ct)).Coupon!.Code;

        var first = await Store.RedeemAsync(Some.Workspace, code.ToLowerInvariant(), "prf_ada", "msg_order", "order_1", Some.Start, Ct);
        var replay = await Store.RedeemAsync(Some.Workspace, code, "prf_ada", "msg_order", "order_1", Some.Start, Ct);
        var later = await Store.RedeemAsync(Some.Workspace, code, "prf_ada", "msg_other", "order_2", Some.Start.AddDays(1), Ct);

        var redemption = Assert.Single(first);
        Assert.Equal((pool.Id, code, "prf_ada", "order_1"), (redemption.Pool.Id, redemption.Code, redemption.AssignedTo, redemption.OrderId));
        Assert.Equal(first, replay);
        Assert.Empty(later);
        Assert.Equal(Some.Start, (await Store.ForRunAsync(Some.Workspace, "run_1", Ct))!.RedeemedAt);
        Assert.Equal(1, (await Store.StatsAsync(pool, Ct)).Redeemed);
    }

    [Fact]
    public async Task Codes_of_other_workspaces_and_unknown_codes_redeem_nothing()
    {
        var pool = await PoolWithAsync(1);

        Assert.Empty(await Store.RedeemAsync(Some.OtherWorkspace, "CODE-0001", "prf_x", "msg_1", null, Some.Start, Ct));
        Assert.Empty(await Store.RedeemAsync(Some.Workspace, "NOPE", "prf_x", "msg_1", null, Some.Start, Ct));
        Assert.Equal(1, (await Store.StatsAsync(pool, Ct)).Available);
    }

    [Fact]
    public async Task A_code_redeemed_before_it_was_given_out_is_not_given_out()
    {
        var pool = await PoolWithAsync(1);
        await Store.RedeemAsync(Some.Workspace, "CODE-0001", "prf_x", "msg_1", null, Some.Start, Ct);

        var refused = await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "k1", null, Ct);

        Assert.Null(refused.Coupon);
    }

    [Fact]
    public async Task A_run_shows_the_code_it_was_given_last()
    {
        var pool = await PoolWithAsync(3);
        await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "run_1:first", "run_1", Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = (await Store.AssignAsync(Some.Workspace, pool.Id, "prf_ada", "run_1:second", "run_1", Ct)).Coupon!;

        Assert.Equal(second, await Store.ForRunAsync(Some.Workspace, "run_1", Ct));
        Assert.Null(await Store.ForRunAsync(Some.Workspace, "run_2", Ct));
        Assert.Equal(2, (await Store.ForProfileAsync(Some.Workspace, "prf_ada", Ct)).Count);
    }

    [Fact]
    public async Task Published_codes_are_not_offered_for_publishing_again()
    {
        var pool = await PoolWithAsync(3);
        var first = await Store.UnpublishedAsync(pool.Id, 2, Ct);

        await Store.MarkPublishedAsync(pool.Id, first, Ct);
        await Store.SetPublishStateAsync(pool.Id, "price_rule_1", null, Ct);

        Assert.Equal(["CODE-0003"], await Store.UnpublishedAsync(pool.Id, 10, Ct));
        Assert.Equal("price_rule_1", (await Store.GetPoolAsync(Some.Workspace, pool.Id, Ct))!.ShopReference);
        Assert.Equal(1, (await Store.StatsAsync(pool, Ct)).Unpublished);
    }

    [Fact]
    public async Task Deleting_a_pool_deletes_its_codes()
    {
        var pool = await PoolWithAsync(3);

        Assert.True(await Store.DeletePoolAsync(Some.Workspace, pool.Id, Ct));

        Assert.Null(await Store.GetPoolAsync(Some.Workspace, pool.Id, Ct));
        Assert.Empty(await Store.PageAsync(pool.Id, null, 10, Ct));
        Assert.False(await Store.DeletePoolAsync(Some.Workspace, pool.Id, Ct));
    }
}

public sealed class SqliteCouponStoreContract() : CouponStoreContract(new SqliteDatabases());

public sealed class PostgresCouponStoreContract(PostgresDatabases postgres) : CouponStoreContract(postgres);
