namespace Nudge.Bench.Email;

/// <summary>Settings of the <c>email</c> benchmark.</summary>
internal sealed record EmailSettings
{
    /// <summary>Messages in the timed part.</summary>
    public int Messages { get; init; } = 20_000;

    /// <summary>Messages sent before timing starts (JIT, connections).</summary>
    public int Warmup { get; init; } = 5_000;

    /// <summary>SMTP connections in Nudge's pool.</summary>
    public int Connections { get; init; } = 4;

    /// <summary>Messages composed and signed at once (more than connections, so signing overlaps the network).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Parallel sessions of smtp-source.</summary>
    public int SourceSessions { get; init; } = 20;

    /// <summary>Seconds of <c>openssl speed</c>.</summary>
    public int OpensslSeconds { get; init; } = 3;

    public bool WriteDocs { get; init; } = true;

    public string CommandLine { get; init; } = "";

    public string? Validate() =>
        Messages < 1 ? "--messages must be at least 1"
        : Connections is < 1 or > 256 ? "--connections must be between 1 and 256"
        : Concurrency < 1 ? "--concurrency must be at least 1"
        : null;
}
