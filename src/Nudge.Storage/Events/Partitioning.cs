namespace Nudge.Storage.Events;

/// <summary>Maps profiles to a fixed number of log partitions; stable across processes and versions.</summary>
public static class Partitioning
{
    public const int Count = 64;

    public static int Of(string profileId)
    {
        // FNV-1a: string.GetHashCode is randomized per process, and partitions are stored.
        var hash = 2166136261u;
        foreach (var c in profileId)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Count);
    }
}
