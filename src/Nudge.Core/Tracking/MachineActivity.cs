using System.Net;

namespace Nudge.Core.Tracking;

/// <summary>
/// Tells opens and clicks made by machines from those made by people, so that engagement can ignore them. Such events
/// are kept (and marked), never dropped: the rules are heuristics, and a shop may weigh them differently.
/// </summary>
/// <remarks>
/// Opens: Apple Mail Privacy Protection loads every image of every message through Apple's proxies (17.0.0.0/8) with a
/// generic WebKit user agent, whether or not the person reads it. Clicks: security gateways follow links on delivery
/// (within seconds, often with HEAD, several links at once, some with their own user agent).
/// </remarks>
public static class MachineActivity
{
    /// <summary>Clicks this soon after the relay accepted the message come from scanners: no person reads that fast.</summary>
    public static readonly TimeSpan ScannerWindow = TimeSpan.FromSeconds(5);

    // Apple's own network; Mail Privacy Protection's image proxies fetch from it.
    private static readonly IPNetwork AppleNetwork = IPNetwork.Parse("17.0.0.0/8");

    // Link and attachment scanners that say who they are. Lower-case substrings of the User-Agent header.
    private static readonly string[] ScannerAgents =
    [
        "barracuda", "proofpoint", "mimecast", "symantec", "messagelabs", "trendmicro", "trend micro", "forcepoint", "fireeye",
        "sophos", "zscaler", "cisco", "ironport", "bitdefender", "safelinks", "urldefense", "appriver", "spamtitan",
        "bot/", "crawler", "spider", "scanner", "preview", "python-requests", "python-urllib", "go-http-client", "curl/", "wget/",
        "java/", "okhttp", "libwww", "httpclient", "headlesschrome",
    ];

    /// <summary>Whether an open pixel request came from a machine.</summary>
    public static MachineVerdict Open(TrackingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Ip is { } ip && AppleNetwork.Contains(Unmapped(ip)) && IsGenericAppleAgent(request.UserAgent))
            return MachineVerdict.Because("apple_mpp");
        if (IsScannerAgent(request.UserAgent))
            return MachineVerdict.Because("scanner_agent");
        return MachineVerdict.Person;
    }

    /// <summary>Whether a click on a tracked link came from a machine; the first rule that applies names the reason.</summary>
    public static MachineVerdict Click(TrackingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Head)
            return MachineVerdict.Because("head_request");
        if (IsScannerAgent(request.UserAgent))
            return MachineVerdict.Because("scanner_agent");
        if (request.SentAt is { } sent && request.At - sent < ScannerWindow)
            return MachineVerdict.Because("too_soon");
        if (request.OtherLinksClickedThisSecond > 0)
            return MachineVerdict.Because("burst");
        return MachineVerdict.Person;
    }

    /// <summary>
    /// The user agent Apple's image proxy sends: <c>Mozilla/5.0</c> alone, or WebKit's prefix without the
    /// <c>Version/</c>, <c>Safari/</c> or <c>Mobile/</c> tokens a browser adds.
    /// </summary>
    private static bool IsGenericAppleAgent(string? agent)
    {
        if (string.IsNullOrWhiteSpace(agent))
            return true;
        var a = agent.Trim();
        if (a == "Mozilla/5.0")
            return true;
        return a.StartsWith("Mozilla/5.0", StringComparison.Ordinal) && a.Contains("AppleWebKit/", StringComparison.Ordinal)
            && !a.Contains("Version/", StringComparison.Ordinal) && !a.Contains("Safari/", StringComparison.Ordinal)
            && !a.Contains("Mobile/", StringComparison.Ordinal);
    }

    private static bool IsScannerAgent(string? agent)
    {
        if (string.IsNullOrWhiteSpace(agent))
            return false;
        var lower = agent.ToLowerInvariant();
        return ScannerAgents.Any(s => lower.Contains(s, StringComparison.Ordinal));
    }

    private static IPAddress Unmapped(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
