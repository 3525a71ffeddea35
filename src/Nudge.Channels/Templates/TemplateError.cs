namespace Nudge.Channels.Templates;

/// <summary>A problem in a template found when it is checked: in which part, where, and what.</summary>
/// <param name="Part">The part (<c>subject</c>, <c>html</c>, ...) the problem is in.</param>
/// <param name="Line">1-based line of the problem, when the parser knows it.</param>
/// <param name="Column">1-based column of the problem, when the parser knows it.</param>
/// <param name="Message">What is wrong, in the template author's words.</param>
public sealed record TemplateError(string Part, int? Line, int? Column, string Message)
{
    /// <summary>The message with its position, e.g. <c>line 3, column 7: Unknown tag 'iff'</c>.</summary>
    public override string ToString() => Line is { } line ? $"line {line}, column {Column}: {Message}" : Message;
}
