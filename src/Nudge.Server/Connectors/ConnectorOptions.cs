using System.ComponentModel.DataAnnotations;

namespace Nudge.Server.Connectors;

/// <summary>Settings under <c>Nudge:Connectors</c>, plus <c>Nudge:PublicUrl</c>.</summary>
public sealed class ConnectorOptions
{
    /// <summary>How many webhook requests one connector may make per second (a shop sending more gets 429 and retries).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecondPerConnector { get; set; } = 100;

    /// <summary>The largest webhook body accepted (Shopify orders with hundreds of lines run to a few hundred KB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How often the worker looks for due deliveries when no new one woke it (retries, deliveries of other processes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a worker may take over a delivery before another may claim it again.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many attempts a delivery gets before it is marked failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry; doubled for each further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where shops reach Nudge, for the webhook URLs the API shows (read from <c>Nudge:PublicUrl</c>).</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The base of webhook URLs: the setting, else the scheme and host the request came in on.</summary>
    public string PublicBase(HttpRequest request) =>
        (PublicUrl is { Length: > 0 } url ? url : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');
}
