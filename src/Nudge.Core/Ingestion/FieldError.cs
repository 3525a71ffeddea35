namespace Nudge.Core.Ingestion;

/// <summary>One invalid field of an incoming message, named by its JSON path (e.g. <c>batch[3].userId</c>).</summary>
public sealed record FieldError(string Field, string Message);
