using System.Text;

namespace Nudge.Bench;

/// <summary>
/// Keeps one section per benchmark configuration in docs/benchmarks.md between marker comments: a new run
/// replaces its own section and leaves the rest of the file (other benchmarks, hand-written notes) alone.
/// </summary>
internal static class BenchmarksDoc
{
    private const string Header = """
        # Benchmarks

        Measured by the programs in `bench/` (see each section's command). Sections between `nudge-bench` marker
        comments are rewritten by the benchmark on each run; everything else is written by hand.

        """;

    public static void Replace(string file, string key, string section)
    {
        var begin = $"<!-- nudge-bench:{key} -->";
        var end = $"<!-- /nudge-bench:{key} -->";
        var block = $"{begin}\n{section.TrimEnd()}\n{end}";
        var text = File.Exists(file) ? File.ReadAllText(file) : Header;
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = start < 0 ? -1 : text.IndexOf(end, start, StringComparison.Ordinal);
        text = start >= 0 && stop >= 0
            ? string.Concat(text.AsSpan(0, start), block, text.AsSpan(stop + end.Length))
            : text.TrimEnd() + "\n\n" + block + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text.ReplaceLineEndings("\n"), new UTF8Encoding(false));
    }
}
