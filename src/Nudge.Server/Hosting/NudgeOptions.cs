namespace Nudge.Server.Hosting;

/// <summary>Settings under <c>Nudge</c> (environment variables <c>Nudge__...</c>).</summary>
public sealed class NudgeOptions
{
    /// <summary>Seed the demo shop (products, customers, six months of behaviour) into an empty demo workspace.</summary>
    public bool Demo { get; set; }

    /// <summary>How many customers the demo shop has (its six months of events scale with it).</summary>
    public int DemoCustomers { get; set; } = 5000;

    /// <summary>Country used for phone numbers written without a country code.</summary>
    public string DefaultRegion { get; set; } = "DE";

    public BootstrapOptions Bootstrap { get; set; } = new();

    public OrleansOptions Orleans { get; set; } = new();
}

/// <summary>Keys created on start, for automation (CI, provisioning). Stored hashed like every key.</summary>
public sealed class BootstrapOptions
{
    /// <summary>A secret server write key.</summary>
    public string? WriteKey { get; set; }

    /// <summary>A public browser write key.</summary>
    public string? BrowserKey { get; set; }

    /// <summary>An admin API key.</summary>
    public string? AdminKey { get; set; }
}

/// <summary>Where this silo listens and how long idle grains stay in memory; the defaults suit one machine.</summary>
public sealed class OrleansOptions
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How long a profile stays in memory after its last event or read. Shorter bounds memory by the people
    /// active recently (about 7 KiB each with 50 segments); longer saves reloading people who come back.
    /// </summary>
    public int IdleMinutes { get; set; } = 10;
}
