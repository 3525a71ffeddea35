using Nudge.Core.Profiles;
using Nudge.Storage.Profiles;
using Nudge.Storage.Tests.Support;

namespace Nudge.Storage.Tests.Contracts;

public abstract class ConsentTrailsContract(IDatabaseSource databases) : StoreContract(databases)
{
    private static readonly ConsentChange Change = new("email", true, Some.Start, "msg_1", "admin", Applied: true);

    private ProfileStore Profiles => new(Database, DerivedState);

    [Fact]
    public async Task Consent_trails_page_through_the_profiles_that_have_one()
    {
        var withTrail = Some.Profile(id: "prf_b") with { ConsentHistory = [Change] };
        await Profiles.SaveAsync(Some.Profile(id: "prf_a"), Ct);
        await Profiles.SaveAsync(withTrail, Ct);
        await Profiles.SaveAsync(Some.Profile(id: "prf_c") with { ConsentHistory = [Change], MergedInto = "prf_b" }, Ct);
        await Profiles.SaveAsync(Some.Profile(id: "prf_d", workspace: Some.OtherWorkspace) with { ConsentHistory = [Change] }, Ct);

        var page = await new ConsentTrails(Database).PageAsync(Some.Workspace, null, 10, Ct);

        Assert.Equal(["prf_b"], page.Profiles.Select(p => p.Id));
        Assert.Equal([Change], page.Profiles[0].ConsentHistory);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task Consent_trails_page_by_candidates_so_that_skipped_profiles_still_move_the_page_on()
    {
        await Profiles.SaveAsync(Some.Profile(id: "prf_a") with { ConsentHistory = [Change], MergedInto = "prf_z" }, Ct);
        await Profiles.SaveAsync(Some.Profile(id: "prf_b") with { ConsentHistory = [Change] }, Ct);
        var trails = new ConsentTrails(Database);

        var first = await trails.PageAsync(Some.Workspace, null, 1, Ct);
        var second = await trails.PageAsync(Some.Workspace, first.Next, 1, Ct);

        Assert.Empty(first.Profiles);
        Assert.Equal("prf_a", first.Next);
        Assert.Equal(["prf_b"], second.Profiles.Select(p => p.Id));
    }
}

public sealed class SqliteConsentTrailsContract() : ConsentTrailsContract(new SqliteDatabases());

public sealed class PostgresConsentTrailsContract(PostgresDatabases postgres) : ConsentTrailsContract(postgres);
