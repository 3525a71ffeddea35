using Nudge.Server.Lists;

namespace Nudge.Server.Imports;

/// <summary>
/// The bad rows of an import: every one is counted once, the first <see cref="MaxShown"/> are kept with line, field and
/// reason (a file with a million bad rows needs the pattern, not a million lines).
/// </summary>
internal sealed class RowErrors(long count = 0, IEnumerable<ImportError>? shown = null)
{
    /// <summary>Errors listed in answers; more are only counted.</summary>
    public const int MaxShown = 1000;

    private readonly List<ImportError> _shown = shown?.ToList() ?? [];

    private long _lastLine = -1;

    /// <summary>Bad rows (a row with several bad fields counts once).</summary>
    public long Count { get; private set; } = count;

    /// <summary>Bad rows with no error listed.</summary>
    public long NotShown => Math.Max(0, Count - _shown.Select(e => e.Line).Distinct().Count());

    public IReadOnlyList<ImportError> Shown => _shown;

    public void Add(long line, string field, string message)
    {
        if (line != _lastLine)
            Count++;
        _lastLine = line;
        if (_shown.Count < MaxShown)
            _shown.Add(new ImportError(line, field, message));
    }
}
