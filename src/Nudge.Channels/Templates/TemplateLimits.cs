namespace Nudge.Channels.Templates;

/// <summary>
/// The sandbox of every render: a template written by a shop's marketer runs inside the sender, so it gets a
/// bounded amount of work, nesting, memory and output, and fails fast instead of holding up a send.
/// </summary>
public sealed record TemplateLimits
{
    /// <summary>Statements and loop iterations one render may execute.</summary>
    public int MaxSteps { get; init; } = 250_000;

    /// <summary>How deep includes, renders and layouts may nest.</summary>
    public int MaxRecursion { get; init; } = 20;

    /// <summary>Characters one rendered part may have (Gmail clips an email after about 102 KB anyway).</summary>
    public int MaxOutputChars { get; init; } = 1_000_000;

    /// <summary>Characters one <c>assign</c> or <c>capture</c> may hold, so a doubling loop cannot eat the memory.</summary>
    public int MaxVariableChars { get; init; } = 1_000_000;

    /// <summary>Items a range such as <c>(1..n)</c> may have.</summary>
    public int MaxRangeItems { get; init; } = 10_000;

    /// <summary>Compiled template versions kept in memory.</summary>
    public int CachedTemplates { get; init; } = 2_000;
}
