namespace Nudge.Core.Tracking;

/// <summary>Whether an open or click was made by a machine rather than the person, and why.</summary>
/// <param name="Machine">True for a machine (a privacy proxy prefetching images, a link scanner).</param>
/// <param name="Reason">For a machine: <c>apple_mpp</c>, <c>scanner_agent</c>, <c>head_request</c>, <c>too_soon</c> or <c>burst</c>.</param>
public sealed record MachineVerdict(bool Machine, string? Reason)
{
    /// <summary>A person, as far as anyone can tell.</summary>
    public static MachineVerdict Person { get; } = new(false, null);

    /// <summary>A machine, for <paramref name="reason"/>.</summary>
    public static MachineVerdict Because(string reason) => new(true, reason);
}

/// <summary>What is known about one request for an open pixel or a tracked link.</summary>
/// <param name="Ip">The client's address.</param>
/// <param name="UserAgent">Its User-Agent header.</param>
/// <param name="At">When it came.</param>
/// <param name="SentAt">When the message was accepted by the relay (null: not known).</param>
/// <param name="Head">True for a HEAD request (a scanner checking the link, not a browser following it).</param>
/// <param name="OtherLinksClickedThisSecond">How many other links of the same message were clicked in the second before this click.</param>
public sealed record TrackingRequest(
    System.Net.IPAddress? Ip, string? UserAgent, DateTimeOffset At, DateTimeOffset? SentAt, bool Head = false, int OtherLinksClickedThisSecond = 0);
