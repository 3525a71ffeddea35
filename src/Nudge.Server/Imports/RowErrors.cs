using Nudge.Server.Lists;

namespace Nudge.Server.Imports;

/// <summary>
/// The bad rows of an import: every one is counted, the first <see cref="MaxShown"/> are kept with line, field and
/// reason (a file with a million bad rows needs the pattern, not a million lines).
/// </summary>
internal sealed class RowErrors(long count = 0, IEnumerable<ImportError>? shown = null)
{
    /// <summary>Errors listed in answers; more are only counted.</summary>
    public const int MaxShown = 1000;

    private readonly List<ImportError> _shown = shown?.ToList() ?? [];

    public long Count { get; private set; } = count;

    public long NotShown => Count - _shown.Count;

    public IReadOnlyList<ImportError> Shown => _shown;

    public void Add(long line, string field, string message)
    {
        Count++;
        if (_shown.Count < MaxShown)
            _shown.Add(new ImportError(line, field, message));
    }
}
