namespace Nudge.Server.Ingestion;

/// <summary>The reply to an accepted tracking request; <c>success</c> is what Segment clients look for.</summary>
public sealed record IngestionReply(bool Success, int Accepted, int Duplicates);
