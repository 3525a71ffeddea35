namespace Nudge.Core.Ingestion;

/// <summary>The outcome of parsing one message: either the message or every reason it was refused.</summary>
public sealed record ParsedMessage(IncomingMessage? Message, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Message is not null;
}
